#pragma once

#include <QTest>

#include <cstdio>
#include <unistd.h>

// QTEST_MAIN for the UI suites, whose windows open audio streams (QtMultimedia on PulseAudio).
// The run ends as QTEST_MAIN's does (test object, then application destroyed); then the process
// leaves without static destructors: Qt 6.4.2's PulseAudio engine disconnects from one without
// libpulse's lock and races libpulse's own thread, a rare crash after every test has passed
// (docs/RELIABILITY.md). The console's own main() ends the same way.
#define DISPATCH_UI_TEST_MAIN(TestObject)                                                          \
    static int dispatchRunTests(int argc, char *argv[])                                            \
    {                                                                                              \
        QT_PREPEND_NAMESPACE(QTest::Internal::callInitMain)<TestObject>();                         \
        QTEST_MAIN_SETUP()                                                                         \
        TestObject tc;                                                                             \
        QTEST_SET_MAIN_SOURCE_PATH                                                                 \
        return QTest::qExec(&tc, argc, argv);                                                      \
    }                                                                                              \
    int main(int argc, char *argv[])                                                               \
    {                                                                                              \
        const int rc = dispatchRunTests(argc, argv);                                               \
        std::fflush(nullptr);                                                                      \
        ::_exit(rc);                                                                               \
    }
