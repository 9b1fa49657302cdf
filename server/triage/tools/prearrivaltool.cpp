#include "triage/tools/prearrivaltool.h"

#include <QJsonArray>
#include <QJsonObject>

namespace dispatch::gemini {

Tool makePrearrivalTool(PrearrivalKnowledge knowledge)
{
    ToolDeclaration d;
    d.name = QStringLiteral("get_prearrival_instructions");
    d.description = QStringLiteral(
        "Get the approved step-by-step instructions to read to the caller while help is on the "
        "way. Use them instead of improvising medical or safety advice.");
    d.parameters = {enumParameter(QStringLiteral("topic"),
                                  QStringLiteral("The situation the instructions are for."),
                                  knowledge.topics(), true)};

    return Tool{
        d, [knowledge = std::move(knowledge)](const QJsonObject &args) {
            const QString name = args.value(QLatin1String("topic")).toString();
            const auto entry = knowledge.lookup(name);
            if (!entry)
                return toolError(QStringLiteral("no instructions for topic '%1'").arg(name));
            return toolOutput(
                QJsonObject{{QStringLiteral("topic"), entry->topic},
                            {QStringLiteral("title"), entry->title},
                            {QStringLiteral("steps"), QJsonArray::fromStringList(entry->steps)},
                            {QStringLiteral("source"), entry->source}});
        }};
}

} // namespace dispatch::gemini
