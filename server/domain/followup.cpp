#include "domain/followup.h"

#include "domain/call.h"

namespace dispatch {

QString toString(FollowUp f)
{
    switch (f) {
    case FollowUp::None:
        return QString();
    case FollowUp::Open:
        return QStringLiteral("open");
    case FollowUp::CalledBack:
        return QStringLiteral("called_back");
    case FollowUp::NoAnswer:
        return QStringLiteral("no_answer");
    case FollowUp::Handled:
        return QStringLiteral("handled");
    }
    return QString();
}

std::optional<FollowUp> followUpFromString(const QString &code)
{
    if (code == toString(FollowUp::Open))
        return FollowUp::Open;
    for (FollowUp f : followUpResolutions()) {
        if (toString(f) == code)
            return f;
    }
    return std::nullopt;
}

const QList<FollowUp> &followUpResolutions()
{
    static const QList<FollowUp> all{FollowUp::CalledBack, FollowUp::NoAnswer, FollowUp::Handled};
    return all;
}

bool isFollowUpResolution(FollowUp f)
{
    return followUpResolutions().contains(f);
}

bool needsFollowUp(EndReason reason)
{
    return reason == EndReason::Abandoned || reason == EndReason::CallerLost;
}

} // namespace dispatch
