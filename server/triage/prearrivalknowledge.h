#pragma once

#include "common/parseresult.h"

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QStringList>

#include <optional>

namespace dispatch {

// One set of pre-arrival instructions a dispatcher (or the model) can read to a caller.
struct PrearrivalInstructions
{
    QString topic;
    QString title;
    QStringList steps;
    QString source;
};

// The local knowledge file (resources/knowledge/prearrival.json): a value type with a parse
// function. Shape: {"version":1, "topics": {"<topic>": {"title", "steps":[...], "source"}}}.
class PrearrivalKnowledge
{
public:
    static constexpr qsizetype MaxFileBytes = 256 * 1024;
    static constexpr qsizetype MaxSteps = 20;
    static constexpr qsizetype MaxStepChars = 400;

    QStringList topics() const; // sorted
    std::optional<PrearrivalInstructions> lookup(const QString &topic) const;
    bool isEmpty() const { return m_entries.isEmpty(); }

    // Errors: "too_large", "bad_json", "bad_field" (names the topic and field).
    static Parsed<PrearrivalKnowledge> parse(const QByteArray &bytes);
    static Parsed<PrearrivalKnowledge> load(const QString &path);

private:
    QHash<QString, PrearrivalInstructions> m_entries;
};

// The shipped knowledge file (a Qt resource).
QString defaultPrearrivalKnowledgePath();

} // namespace dispatch
