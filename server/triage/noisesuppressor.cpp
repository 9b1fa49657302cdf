#include "triage/noisesuppressor.h"

#if DISPATCH_HAVE_SPEEXDSP
#include <speex/speex_preprocess.h>
#endif

namespace dispatch {

struct NoiseSuppressor::State
{
#if DISPATCH_HAVE_SPEEXDSP
    SpeexPreprocessState *st = nullptr;
#endif
};

NoiseSuppressor::NoiseSuppressor(int suppressDb)
    : m_state(std::make_unique<State>())
{
#if DISPATCH_HAVE_SPEEXDSP
    m_state->st = speex_preprocess_state_init(FrameSamples, 16000);
    spx_int32_t on = 1;
    spx_int32_t off = 0;
    spx_int32_t db = suppressDb;
    speex_preprocess_ctl(m_state->st, SPEEX_PREPROCESS_SET_DENOISE, &on);
    speex_preprocess_ctl(m_state->st, SPEEX_PREPROCESS_SET_NOISE_SUPPRESS, &db);
    // Level and voice decisions stay with pocketsphinx: only the noise goes (speexdsp's VAD is
    // off by default; setting it only prints a warning).
    speex_preprocess_ctl(m_state->st, SPEEX_PREPROCESS_SET_AGC, &off);
    speex_preprocess_ctl(m_state->st, SPEEX_PREPROCESS_SET_DEREVERB, &off);
#else
    Q_UNUSED(suppressDb);
#endif
}

NoiseSuppressor::~NoiseSuppressor()
{
#if DISPATCH_HAVE_SPEEXDSP
    if (m_state->st)
        speex_preprocess_state_destroy(m_state->st);
#endif
}

bool NoiseSuppressor::available()
{
    return DISPATCH_HAVE_SPEEXDSP != 0;
}

QByteArray NoiseSuppressor::process(const QByteArray &pcm16)
{
    m_pending += pcm16;
    constexpr qsizetype frameBytes = FrameSamples * 2;
    const qsizetype whole = m_pending.size() / frameBytes * frameBytes;
    QByteArray out = m_pending.left(whole);
    m_pending.remove(0, whole);
#if DISPATCH_HAVE_SPEEXDSP
    auto *samples = reinterpret_cast<spx_int16_t *>(out.data());
    for (qsizetype f = 0; f < whole / frameBytes; ++f)
        speex_preprocess_run(m_state->st, samples + f * FrameSamples);
#endif
    return out;
}

QByteArray NoiseSuppressor::flush()
{
    QByteArray rest = m_pending;
    m_pending.clear();
    return rest;
}

} // namespace dispatch
