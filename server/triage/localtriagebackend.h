#pragma once

#include "common/clock.h"
#include "triage/decoderpool.h"
#include "triage/rulesengine.h"
#include "triage/speechrecognizer.h"
#include "triage/triagebackend.h"
#include "triage/triagerules.h"

#include <QHash>
#include <QTimer>

#include <memory>
#include <optional>

namespace dispatch {

struct LocalTriageConfig
{
    TriageRules rules;
    SpeechRecognizerConfig recognizer;
    DecoderPoolConfig decoders; // keyphrases default to rules.keyphrases()
    Clock clock = systemClock();
};

// The offline triage engine: one streaming recognizer per call (on its own thread) feeding
// the rules engine. Works with no key and no network. Frames are counted and ignored (there
// is no local vision model).
class LocalTriageBackend : public TriageBackend
{
    Q_OBJECT

public:
    explicit LocalTriageBackend(LocalTriageConfig config, QObject *parent = nullptr);
    ~LocalTriageBackend() override;

    void startCall(const QString &callId, const MediaBacklog &backlog) override;
    void addAudio(const QString &callId, const QByteArray &pcm16k) override;
    void addFrame(const QString &callId, const QByteArray &jpeg) override;
    void addVitals(const QString &callId, const VitalsSample &vitals) override;
    void addCallerText(const QString &callId, const QString &text) override;
    void endCall(const QString &callId) override;
    qint64 assessedAudioMs(const QString &callId) const override;

    // Audio waiting for the recognizer, for feeders that push faster than real time.
    qint64 queuedAudioMs(const QString &callId) const;
    RecognitionMode recognitionMode(const QString &callId) const;
    const DecoderPool &decoderPool() const { return *m_pool; }

Q_SIGNALS:
    // Just before callFinished: how the recognizer did on this call.
    void recognitionFinished(const QString &callId, const dispatch::RecognizerStats &stats);
    // Every final segment as the recognizer gave it (posterior, alternatives), for evaluation.
    void utteranceRecognized(const QString &callId, const dispatch::RecognizedSegment &segment);

private:
    struct CallState;
    void reassess(const QString &callId, CallState &call);
    void onSegment(const QString &callId, const RecognizedSegment &segment);
    void onProgress(const QString &callId, qint64 processedMs, bool inSpeech);
    void finishCall(const QString &callId, const RecognizerStats &stats);
    void updateDegraded(const QString &callId, CallState &call, const QString &reason);

    LocalTriageConfig m_config;
    std::shared_ptr<DecoderPool> m_pool;
    QHash<QString, std::shared_ptr<CallState>> m_calls;
    QTimer m_idleDecoders; // frees the decoders idle for long (DecoderPool::freeIdle)
};

} // namespace dispatch
