#include "triage/tools/flagcriticaltool.h"

#include <QJsonObject>

namespace dispatch::gemini {

Tool makeFlagCriticalTool(CriticalFlagSink sink)
{
    ToolDeclaration d;
    d.name = QStringLiteral("flag_critical");
    d.description = QStringLiteral(
        "Alert the dispatcher immediately to a life-threatening detail (for example the patient "
        "stopped breathing, a weapon is present, the caller is in danger).");
    d.parameters = {
        stringParameter(QStringLiteral("reason"),
                        QStringLiteral("What is critical, in a few words."), true, 300),
        integerParameter(QStringLiteral("severity"),
                         QStringLiteral("1 = minor, 5 = immediately life-threatening."), 1, 5,
                         RangePolicy::Clamp),
    };

    return Tool{d, [sink = std::move(sink)](const QJsonObject &args) {
                    CriticalFlag flag;
                    flag.reason = args.value(QLatin1String("reason")).toString().trimmed();
                    flag.severity = args.value(QLatin1String("severity")).toInt(5);
                    if (flag.reason.isEmpty())
                        return toolError(QStringLiteral("argument 'reason' is required"));
                    if (sink)
                        sink(flag);
                    return toolOutput(QJsonObject{{QStringLiteral("flagged"), true}});
                }};
}

} // namespace dispatch::gemini
