#pragma once

#include "audiotools/wavfile.h"

#include <QDir>
#include <QList>
#include <QString>

// The shared corpus: $DISPATCH_SHARED_DIR/corpus, or ../shared/corpus beside the source tree.
inline QString corpusDir()
{
    const QString shared = qEnvironmentVariable("DISPATCH_SHARED_DIR");
    if (!shared.isEmpty())
        return QDir(shared).filePath(QStringLiteral("corpus"));
    return QDir(QStringLiteral(DISPATCH_SOURCE_DIR "/../shared/corpus")).absolutePath();
}

inline QByteArray corpusPcm(const QString &file)
{
    auto wav = dispatch::readWavFile(QDir(corpusDir()).filePath(file));
    return wav ? wav->pcm16 : QByteArray();
}

// 20 ms chunks, as a phone sends them.
inline QList<QByteArray> chunks(const QByteArray &pcm, qsizetype bytes = 640)
{
    QList<QByteArray> out;
    for (qsizetype i = 0; i < pcm.size(); i += bytes)
        out.append(pcm.mid(i, bytes));
    return out;
}
