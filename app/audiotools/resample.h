#pragma once

#include <QByteArray>

namespace dispatch {

// Band-limited resampling of mono signed 16-bit little-endian PCM (windowed-sinc low-pass at
// 90% of the lower Nyquist frequency, Blackman window), e.g. a 44.1 kHz recording to the 16 kHz
// the phone protocol and the recognizer use.
QByteArray resampleS16(const QByteArray &pcm, int fromRate, int toRate);

} // namespace dispatch
