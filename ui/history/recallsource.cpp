#include "recallsource.h"

#include "storage/wavwriter.h"

#include <QtEndian>

#include <algorithm>
#include <vector>

namespace dispatch {

RecallSource::RecallSource(QObject *parent)
    : QIODevice(parent)
{}

RecallSource::~RecallSource() = default;

void RecallSource::setCall(const StoredCall &call, QStringList *errors)
{
    if (isOpen())
        close();
    m_files.clear();
    m_totalSamples = 0;
    m_sampleRate = 16000;
    auto fail = [errors](const QString &why) {
        if (errors)
            errors->append(why);
    };
    // The caller's rate is the stream's; a track at another rate is skipped (no resampling).
    for (const StoredCall::Recording &r : call.recordings) {
        if (r.track == QLatin1String("caller"))
            m_sampleRate = r.sampleRate;
    }
    for (const StoredCall::Recording &r : call.recordings) {
        auto track = std::make_shared<Track>();
        track->name = r.track;
        track->file = std::make_unique<QFile>(r.path);
        if (!track->file->open(QIODevice::ReadOnly)) {
            fail(tr("Cannot open the %1 recording %2: %3")
                     .arg(r.track, r.path, track->file->errorString()));
            continue;
        }
        const auto info =
            parseWavHeader(track->file->read(WavInfo::HeaderBytes), track->file->size());
        if (!info || info->channels != 1 || info->bitsPerSample != 16) {
            fail(tr("The %1 recording %2 is not a mono 16-bit WAV file.").arg(r.track, r.path));
            continue;
        }
        if (info->sampleRate != m_sampleRate) {
            fail(tr("The %1 recording is at %2 Hz, not %3 Hz: it is not played.")
                     .arg(r.track)
                     .arg(info->sampleRate)
                     .arg(m_sampleRate));
            continue;
        }
        track->dataOffset = WavInfo::HeaderBytes;
        track->samples = info->availableDataBytes() / 2;
        const qint64 offsetMs = call.ringingAt.isValid() && r.startedAt.isValid()
                                    ? std::max<qint64>(0, call.ringingAt.msecsTo(r.startedAt))
                                    : 0;
        track->startSample = offsetMs * m_sampleRate / 1000;
        m_totalSamples = std::max(m_totalSamples, track->startSample + track->samples);
        m_files.append(track);
    }
    open(QIODevice::ReadOnly | QIODevice::Unbuffered);
}

bool RecallSource::hasTrack(const QString &name) const
{
    return std::any_of(m_files.cbegin(), m_files.cend(),
                       [&](const auto &t) { return t->name == name; });
}

bool RecallSource::wanted(const Track &t) const
{
    switch (m_tracks) {
    case Tracks::Caller:
        return t.name == QLatin1String("caller");
    case Tracks::TalkBack:
        return t.name == QLatin1String("talkback");
    case Tracks::Mixed:
        break;
    }
    return true;
}

qint64 RecallSource::size() const
{
    return m_totalSamples * 2;
}

qint64 RecallSource::durationMs() const
{
    return m_totalSamples * 1000 / m_sampleRate;
}

qint64 RecallSource::bytesForMs(qint64 ms) const
{
    return std::clamp<qint64>(ms * m_sampleRate / 1000, 0, m_totalSamples) * 2;
}

qint64 RecallSource::msForBytes(qint64 bytes) const
{
    return bytes / 2 * 1000 / m_sampleRate;
}

qint64 RecallSource::readData(char *data, qint64 maxSize)
{
    const qint64 first = pos() / 2;
    const qint64 count = std::min(maxSize / 2, m_totalSamples - first);
    if (count <= 0)
        return 0; // end of the call: QIODevice reports atEnd()
    std::vector<qint32> mix(static_cast<size_t>(count), 0);
    QByteArray chunk;
    for (const auto &t : m_files) {
        if (!wanted(*t))
            continue;
        const qint64 from = std::max(first, t->startSample);
        const qint64 to = std::min(first + count, t->startSample + t->samples);
        if (from >= to)
            continue;
        if (!t->file->seek(t->dataOffset + (from - t->startSample) * 2))
            continue;
        chunk = t->file->read((to - from) * 2);
        const qint64 got = chunk.size() / 2;
        for (qint64 i = 0; i < got; ++i)
            mix[static_cast<size_t>(from - first + i)] +=
                qFromLittleEndian<qint16>(chunk.constData() + 2 * i);
    }
    for (qint64 i = 0; i < count; ++i)
        qToLittleEndian<qint16>(
            static_cast<qint16>(std::clamp<qint32>(mix[static_cast<size_t>(i)], -32768, 32767)),
            data + 2 * i);
    return count * 2;
}

} // namespace dispatch
