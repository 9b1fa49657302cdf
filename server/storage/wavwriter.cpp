#include "storage/wavwriter.h"
#include "common/wavformat.h"
#include "storage/storagelog.h"

#include <QLoggingCategory>
#include <QtEndian>

#include <unistd.h>

namespace dispatch {

namespace {

// RIFF sizes are 32-bit: keep the data chunk well inside that.
constexpr qint64 MaxDataBytes = qint64(0xFFFFFFFFu) - 64;

quint32 le32(const QByteArray &b, qsizetype at)
{
    return qFromLittleEndian<quint32>(b.constData() + at);
}

} // namespace

qint64 WavInfo::availableDataBytes() const
{
    const qint64 raw = qMax<qint64>(0, fileBytes - HeaderBytes);
    const int frame = qMax(1, bytesPerFrame());
    return qMin(raw - raw % frame, MaxDataBytes);
}

bool WavInfo::finalized() const
{
    return declaredDataBytes != UnknownSize && declaredDataBytes == fileBytes - HeaderBytes;
}

qint64 WavInfo::durationMs(qint64 dataBytes) const
{
    const qint64 perSecond = qint64(sampleRate) * bytesPerFrame();
    return perSecond > 0 ? dataBytes * 1000 / perSecond : 0;
}

QByteArray wavHeader(quint32 dataBytes, int sampleRate, int channels, int bitsPerSample)
{
    return canonicalWavHeader(
        dataBytes, WavFormat{channels, sampleRate, channels * bitsPerSample / 8, bitsPerSample});
}

Parsed<WavInfo> parseWavHeader(const QByteArray &header, qint64 fileBytes)
{
    auto bad = [](const QString &why) { return ProtocolError{QStringLiteral("bad_wav"), why}; };
    if (header.size() < WavInfo::HeaderBytes)
        return bad(QStringLiteral("shorter than a WAV header"));
    if (!header.startsWith("RIFF") || header.mid(8, 8) != "WAVEfmt " || header.mid(36, 4) != "data")
        return bad(QStringLiteral("not a canonical PCM WAV file"));
    if (le32(header, 16) != 16)
        return bad(QStringLiteral("not a 16-byte PCM fmt chunk"));
    const auto format = parseWavFormat(header.constData() + 20, 16);
    if (!format)
        return bad(format.error().message);
    WavInfo info;
    info.channels = format->channels;
    info.sampleRate = format->sampleRate;
    info.bitsPerSample = format->bitsPerSample;
    if (info.channels > 8 || info.sampleRate < 1000 || info.sampleRate > 192000)
        return bad(QStringLiteral("unsupported PCM shape"));
    if (le32(header, 28) != quint32(info.sampleRate * info.bytesPerFrame()))
        return bad(QStringLiteral("inconsistent byte rate"));
    info.declaredDataBytes = le32(header, 40);
    info.fileBytes = fileBytes;
    return info;
}

Parsed<WavInfo> repairWavFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadWrite | QIODevice::Unbuffered))
        return ProtocolError{QStringLiteral("io"), f.errorString()};
    auto info = parseWavHeader(f.read(WavInfo::HeaderBytes), f.size());
    if (!info)
        return info;
    const qint64 data = info->availableDataBytes();
    if (info->finalized() && data == f.size() - WavInfo::HeaderBytes)
        return info;
    if (WavInfo::HeaderBytes + data != f.size() && !f.resize(WavInfo::HeaderBytes + data))
        return ProtocolError{QStringLiteral("io"), f.errorString()};
    const QByteArray header = wavHeader(static_cast<quint32>(data), info->sampleRate,
                                        info->channels, info->bitsPerSample);
    if (!f.seek(0) || f.write(header) != header.size())
        return ProtocolError{QStringLiteral("io"), f.errorString()};
    qCInfo(lcStorage) << "repaired recording" << path << "to" << data << "bytes (header said"
                      << info->declaredDataBytes << ")";
    info.value().declaredDataBytes = static_cast<quint32>(data);
    info.value().fileBytes = f.size();
    return info;
}

WavWriter::WavWriter(QString path, int sampleRate, int channels)
    : m_path(std::move(path))
    , m_sampleRate(sampleRate)
    , m_channels(channels)
    , m_file(m_path)
{}

WavWriter::~WavWriter()
{
    close();
}

bool WavWriter::open(QString *error)
{
    if (m_file.isOpen())
        return true;
    auto fail = [&](const QString &why) {
        m_error = why;
        if (error)
            *error = why;
        m_file.close();
        return false;
    };
    if (QFile::exists(m_path)) {
        // A file of ours from before a restart: continue after its last whole frame.
        const auto repaired = repairWavFile(m_path);
        if (!repaired)
            return fail(repaired.error().message);
        if (!m_file.open(QIODevice::ReadWrite | QIODevice::Unbuffered))
            return fail(m_file.errorString());
        m_dataBytes = repaired->availableDataBytes();
        m_headerBytes = m_dataBytes;
        if (!m_file.seek(m_file.size()))
            return fail(m_file.errorString());
        return true;
    }
    // Unbuffered: every append is one write(2), so the kernel has the audio the moment it
    // arrived and a killed process loses none of it. Created 0600 whatever the umask: a
    // caller's voice is for the console's owner only.
    if (!m_file.open(QIODevice::ReadWrite | QIODevice::Unbuffered | QIODevice::NewOnly,
                     QFileDevice::ReadOwner | QFileDevice::WriteOwner))
        return fail(m_file.errorString());
    const QByteArray header = wavHeader(WavInfo::UnknownSize, m_sampleRate, m_channels);
    if (m_file.write(header) != header.size()) {
        const QString why = m_file.errorString();
        m_file.close();
        QFile::remove(m_path);
        return fail(why);
    }
    m_dataBytes = 0;
    m_headerBytes = WavInfo::UnknownSize;
    return true;
}

bool WavWriter::append(const QByteArray &pcm)
{
    if (!m_file.isOpen())
        return false;
    const qsizetype frame = 2 * m_channels;
    const qsizetype usable = pcm.size() - pcm.size() % frame;
    if (usable == 0)
        return pcm.isEmpty();
    if (m_dataBytes + usable > MaxDataBytes) {
        m_error = QStringLiteral("%1 reached the WAV size limit").arg(m_path);
        return false;
    }
    const qint64 written = m_file.write(pcm.constData(), usable);
    if (written == usable) {
        m_dataBytes += usable;
        return true;
    }
    // Disk full or an I/O error: keep the file aligned on whole frames at the last good size.
    m_error = written < 0 ? m_file.errorString()
                          : QStringLiteral("short write of %1 of %2 bytes to %3 (disk full?)")
                                .arg(written)
                                .arg(usable)
                                .arg(m_path);
    const qint64 good = WavInfo::HeaderBytes + m_dataBytes;
    if (m_file.size() != good) {
        (void)m_file.resize(good);
        (void)m_file.seek(good);
    }
    m_file.unsetError();
    return false;
}

bool WavWriter::appendSilence(qint64 bytes)
{
    bytes -= bytes % (2 * m_channels);
    static const QByteArray zeros(16000, '\0');
    while (bytes > 0) {
        const qsizetype n = static_cast<qsizetype>(qMin<qint64>(bytes, zeros.size()));
        if (!append(zeros.left(n)))
            return false;
        bytes -= n;
    }
    return true;
}

bool WavWriter::syncHeader()
{
    if (!m_file.isOpen() || m_headerBytes == m_dataBytes)
        return true;
    // The two size fields of the canonical header: the RIFF size at 4, the data size at 40.
    const QByteArray header =
        wavHeader(static_cast<quint32>(m_dataBytes), m_sampleRate, m_channels);
    const qint64 end = WavInfo::HeaderBytes + m_dataBytes;
    const bool ok = m_file.seek(4) && m_file.write(header.constData() + 4, 4) == 4 &&
                    m_file.seek(40) && m_file.write(header.constData() + 40, 4) == 4;
    (void)m_file.seek(end);
    if (ok) {
        m_headerBytes = m_dataBytes;
    } else {
        m_error = m_file.errorString();
        m_file.unsetError();
    }
    return ok;
}

bool WavWriter::syncData()
{
    return m_file.isOpen() && ::fdatasync(m_file.handle()) == 0;
}

bool WavWriter::close()
{
    if (!m_file.isOpen())
        return true;
    const bool ok = syncHeader();
    m_file.close();
    return ok;
}

qint64 WavWriter::durationMs() const
{
    const qint64 perSecond = qint64(m_sampleRate) * 2 * m_channels;
    return m_dataBytes * 1000 / perSecond;
}

} // namespace dispatch
