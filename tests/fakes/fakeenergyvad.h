#pragma once

#include <QByteArray>

#include <functional>

namespace dispatch::fakes {

// The fake's voice activity detection: RMS energy of 10 ms frames of s16le mono, measured in
// audio time so tests can send seconds of audio at once. Speech longer than minSpeechMs starts a
// turn; endOfTurnSilenceMs of silence after it ends the turn.
class FakeEnergyVad
{
public:
    struct Settings
    {
        int threshold = 500;
        int minSpeechMs = 60;
        int endOfTurnSilenceMs = 700;
    };

    enum class Event
    {
        SpeechStarted,
        TurnEnded
    };

    // `onEvent` returns false to stop processing (e.g. the connection closed).
    void feed(const QByteArray &pcm, int sampleRate, const Settings &settings,
              const std::function<bool(Event)> &onEvent);
    // Ends the current turn now (audioStreamEnd); returns false if there was no speech.
    bool endTurn();

    bool inSpeech() const { return m_inSpeech; }
    qint64 turnAudioMs() const { return m_turnAudioMs; } // of the current or last turn

private:
    QByteArray m_carry;
    int m_rate = 16000;
    bool m_inSpeech = false;
    qint64 m_speechMs = 0;
    qint64 m_silenceMs = 0;
    qint64 m_turnAudioMs = 0;
};

} // namespace dispatch::fakes
