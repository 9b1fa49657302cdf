#pragma once

#include <QByteArray>

#include <memory>

namespace dispatch {

// The offline recognizer's noise front end: speexdsp's preprocessor (spectral noise
// suppression) run on every 20 ms frame of 16 kHz s16le audio before pocketsphinx sees it.
// Keeps a partial frame between calls. Without speexdsp at build time it passes audio through
// and says so (available() is false).
class NoiseSuppressor
{
public:
    // suppressDb: the most a noise band is attenuated (negative dB, speexdsp's default -15).
    explicit NoiseSuppressor(int suppressDb = -25);
    ~NoiseSuppressor();
    NoiseSuppressor(const NoiseSuppressor &) = delete;
    NoiseSuppressor &operator=(const NoiseSuppressor &) = delete;

    static bool available();
    static constexpr int FrameSamples = 320; // 20 ms at 16 kHz

    // Returns the denoised whole frames of pending + pcm; a trailing partial frame waits for
    // the next call (flush() returns it unprocessed).
    QByteArray process(const QByteArray &pcm16);
    QByteArray flush();

private:
    struct State;
    std::unique_ptr<State> m_state;
    QByteArray m_pending;
};

} // namespace dispatch
