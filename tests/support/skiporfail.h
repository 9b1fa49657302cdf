#pragma once

#include <QString>
#include <QTest>

namespace dispatch::test {

// Whether this suite may skip for a missing prerequisite (a tool, a model, root, the corpus):
// always outside CI; under CI=true only when the suite (DISPATCH_TEST_NAME) is listed in
// DISPATCH_OPTIONAL_TESTS (both set by dispatch_add_test in tests/CMakeLists.txt). CI installs
// what every suite needs, so a skip there hides a broken environment.
bool maySkip();
// The message of the failure that replaces a skip under CI.
QString refusedSkip(const char *reason);

} // namespace dispatch::test

// Use instead of QSKIP for a missing prerequisite (not for a platform a check does not apply to).
#define DISPATCH_SKIP_OR_FAIL(reason)                                                              \
    do {                                                                                           \
        if (dispatch::test::maySkip())                                                             \
            QSKIP(reason);                                                                         \
        QFAIL(qPrintable(dispatch::test::refusedSkip(reason)));                                    \
    } while (false)
