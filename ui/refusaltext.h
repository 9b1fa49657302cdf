#pragma once

#include "domain/callactions.h"

#include <QCoreApplication>
#include <QString>

namespace dispatch {

// The dispatcher's words for a refused action (the engine sends only the code).
class RefusalText
{
    Q_DECLARE_TR_FUNCTIONS(RefusalText)

public:
    static QString of(const CallRefusal &refusal);
};

} // namespace dispatch
