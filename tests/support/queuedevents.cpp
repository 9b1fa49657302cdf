#include "queuedevents.h"

#include <QCoreApplication>
#include <QMetaObject>
#include <QTest>

namespace dispatch::test {

bool waitForQueuedEvents(int timeoutMs)
{
    bool delivered = false;
    QMetaObject::invokeMethod(
        QCoreApplication::instance(), [&delivered] { delivered = true; }, Qt::QueuedConnection);
    return QTest::qWaitFor([&delivered] { return delivered; }, timeoutMs);
}

} // namespace dispatch::test
