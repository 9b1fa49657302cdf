#pragma once

#include <QLoggingCategory>

// The storage subsystem's log category ("dispatch.storage"), defined in database.cpp.
Q_DECLARE_LOGGING_CATEGORY(lcStorage)
