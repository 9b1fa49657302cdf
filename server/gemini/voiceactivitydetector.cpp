#include "gemini/voiceactivitydetector.h"

#include <QtEndian>

#include <algorithm>
#include <cmath>

namespace dispatch::gemini {

namespace {

constexpr double InitialFloorDb = 30.0; // RMS ~32: a quiet phone line
constexpr double LowestFloorDb = 20.0;  // digital silence must not make every click speech
constexpr int FrameMs = 20;

} // namespace

VoiceActivityDetector::VoiceActivityDetector(VoiceActivitySettings settings)
    : m_settings(settings)
    , m_onsetFrames(std::max(1, settings.onsetMs / FrameMs))
    , m_hangoverFrames(std::max(1, settings.hangoverMs / FrameMs))
    , m_floorDb(InitialFloorDb)
{}

void VoiceActivityDetector::reset()
{
    m_floorDb = InitialFloorDb;
    m_active = false;
    m_speechRun = 0;
    m_silenceRun = 0;
    m_framesSeen = 0;
}

bool VoiceActivityDetector::isSpeech(double energyDb, double zeroCrossings) const
{
    if (energyDb < m_settings.minSpeechDb || energyDb < m_floorDb + m_settings.marginDb)
        return false;
    // Broadband noise crosses zero about every other sample; voiced speech far less often.
    // Fricatives do too, but they come with (or close to) voiced frames the hangover bridges.
    return !(zeroCrossings >= m_settings.noiseZeroCrossings &&
             energyDb < m_floorDb + m_settings.hissMarginDb);
}

void VoiceActivityDetector::adaptFloor(double energyDb, bool speech)
{
    // Down fast (the line got quieter), up slowly (noise rising), hardly at all during speech
    // (a long stationary noise that was taken for speech still wins in the end).
    double rate = 0.0;
    if (energyDb < m_floorDb)
        rate = 0.3;
    else if (!speech && !m_active)
        rate = 0.03;
    else
        rate = 0.002;
    // The first frames set the floor quickly, whatever they are.
    if (m_framesSeen < 10 && !speech)
        rate = std::max(rate, 0.3);
    m_floorDb = std::max(LowestFloorDb, m_floorDb + rate * (energyDb - m_floorDb));
}

VoiceActivityDetector::Change VoiceActivityDetector::pushFrame(const char *pcm)
{
    qint64 sumSquares = 0;
    int crossings = 0;
    qint16 previous = qFromLittleEndian<qint16>(pcm);
    for (int i = 0; i < FrameSamples; ++i) {
        const qint16 s = qFromLittleEndian<qint16>(pcm + 2 * i);
        sumSquares += qint64(s) * s;
        if ((s < 0) != (previous < 0))
            ++crossings;
        previous = s;
    }
    const double meanSquare = double(sumSquares) / FrameSamples;
    const double energyDb = 10.0 * std::log10(meanSquare + 1.0);
    const bool speech = isSpeech(energyDb, double(crossings) / FrameSamples);
    adaptFloor(energyDb, speech);
    ++m_framesSeen;

    if (!m_active) {
        m_speechRun = speech ? m_speechRun + 1 : 0;
        if (m_speechRun >= m_onsetFrames) {
            m_active = true;
            m_silenceRun = 0;
            return Change::Started;
        }
        return Change::None;
    }
    m_silenceRun = speech ? 0 : m_silenceRun + 1;
    if (m_silenceRun >= m_hangoverFrames) {
        m_active = false;
        m_speechRun = 0;
        return Change::Ended;
    }
    return Change::None;
}

} // namespace dispatch::gemini
