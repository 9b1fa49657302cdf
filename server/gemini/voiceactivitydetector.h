#pragma once

// Our own voice-activity detector on the caller's audio (16 kHz s16le mono), for models that take
// manual activity signals (ModelCapabilities::manualActivity): the server's VAD drops short
// answers right after a model turn on phone audio (python-genai #2903), ours decides instead.
// Pure and allocation-free per frame: 20 ms frames, energy against an adaptive noise floor,
// a zero-crossing check against hiss, an onset of a few frames and a hangover.

#include <QtGlobal>

namespace dispatch::gemini {

struct VoiceActivitySettings
{
    int onsetMs = 40;          // this much speech in a row starts an activity
    int hangoverMs = 500;      // this much non-speech ends it (pauses inside a sentence stay in)
    double marginDb = 9.0;     // a speech frame is this far above the noise floor...
    double minSpeechDb = 34.0; // ...and at least this loud (RMS ~50 of 32767)
    // A frame this far or less above the floor whose zero-crossing rate is at least
    // noiseZeroCrossings (crossings per sample) is hiss, not speech.
    double hissMarginDb = 18.0;
    double noiseZeroCrossings = 0.42;
};

class VoiceActivityDetector
{
public:
    static constexpr int SampleRate = 16000;
    static constexpr int FrameSamples = SampleRate / 50; // 20 ms
    static constexpr int FrameBytes = FrameSamples * 2;

    enum class Change
    {
        None,
        Started, // the activity began onsetMs before the end of this frame
        Ended    // the activity ended with this frame (the hangover ran out)
    };

    explicit VoiceActivityDetector(VoiceActivitySettings settings = {});

    // One frame of FrameBytes bytes of s16le.
    Change pushFrame(const char *pcm);
    void reset();

    bool active() const { return m_active; }
    double noiseFloorDb() const { return m_floorDb; }
    const VoiceActivitySettings &settings() const { return m_settings; }

private:
    bool isSpeech(double energyDb, double zeroCrossings) const;
    void adaptFloor(double energyDb, bool speech);

    VoiceActivitySettings m_settings;
    int m_onsetFrames;
    int m_hangoverFrames;
    double m_floorDb;
    bool m_active = false;
    int m_speechRun = 0;  // speech frames in a row (before an activity starts)
    int m_silenceRun = 0; // non-speech frames in a row (during an activity)
    int m_framesSeen = 0;
};

} // namespace dispatch::gemini
