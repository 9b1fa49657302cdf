#include "fakeenergyvad.h"

#include <QtEndian>

#include <cmath>

namespace dispatch::fakes {

void FakeEnergyVad::feed(const QByteArray &pcm, int sampleRate, const Settings &settings,
                         const std::function<bool(Event)> &onEvent)
{
    if (sampleRate != m_rate) {
        m_carry.clear();
        m_rate = sampleRate;
    }
    m_carry.append(pcm);
    const qsizetype frameBytes = 2 * static_cast<qsizetype>(sampleRate) / 100; // 10 ms
    qsizetype offset = 0;
    bool go = true;
    for (; go && offset + frameBytes <= m_carry.size(); offset += frameBytes) {
        double sum = 0;
        for (qsizetype i = 0; i < frameBytes; i += 2) {
            const double s = qFromLittleEndian<qint16>(m_carry.constData() + offset + i);
            sum += s * s;
        }
        const bool speech =
            std::sqrt(sum / static_cast<double>(frameBytes / 2)) >= settings.threshold;
        if (m_inSpeech)
            m_turnAudioMs += 10;
        if (speech) {
            m_silenceMs = 0;
            if (!m_inSpeech) {
                m_speechMs += 10;
                if (m_speechMs >= settings.minSpeechMs) {
                    m_inSpeech = true;
                    m_turnAudioMs = m_speechMs;
                    go = onEvent(Event::SpeechStarted);
                }
            }
        } else if (m_inSpeech) {
            m_silenceMs += 10;
            if (m_silenceMs >= settings.endOfTurnSilenceMs) {
                endTurn();
                go = onEvent(Event::TurnEnded);
            }
        } else {
            m_speechMs = 0;
        }
    }
    m_carry.remove(0, offset);
}

bool FakeEnergyVad::endTurn()
{
    if (!m_inSpeech)
        return false;
    m_inSpeech = false;
    m_speechMs = 0;
    m_silenceMs = 0;
    return true;
}

} // namespace dispatch::fakes
