#pragma once

#include <QByteArray>

namespace dispatch {

// `data` in an allocation of its own, sized to it. QtWebSockets delivers a binary message as
// a view of the socket's read chunk, which holds every frame read in one go (up to ~100 kB):
// anything kept for long (audio rings, replay buffers, queues) must not pin that chunk, or a
// minute of 640-byte audio chunks holds gigabytes. Cheap when `data` is already tight.
inline QByteArray ownedBytes(const QByteArray &data)
{
    constexpr qsizetype TolerableSlack = 64; // malloc rounding, not a shared chunk
    // The whole allocation counts: a view at the end of a chunk has no capacity left after it.
    QByteArray shared = data; // data_ptr() has no const overload in Qt 6.4
    const qsizetype allocated = shared.data_ptr().constAllocatedCapacity();
    if (allocated > 0 && allocated - shared.size() <= TolerableSlack)
        return shared;
    return QByteArray(data.constData(), data.size());
}

} // namespace dispatch
