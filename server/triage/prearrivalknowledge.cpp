#include "triage/prearrivalknowledge.h"

#include "common/jsonfields.h"

#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>

#include <algorithm>

namespace dispatch {

QStringList PrearrivalKnowledge::topics() const
{
    QStringList t = m_entries.keys();
    std::sort(t.begin(), t.end());
    return t;
}

std::optional<PrearrivalInstructions> PrearrivalKnowledge::lookup(const QString &topic) const
{
    const auto it = m_entries.constFind(topic.trimmed().toLower());
    if (it == m_entries.constEnd())
        return std::nullopt;
    return *it;
}

Parsed<PrearrivalKnowledge> PrearrivalKnowledge::parse(const QByteArray &bytes)
{
    auto root = json::parseObject(bytes, MaxFileBytes);
    if (!root)
        return root.error();
    const QJsonValue topics = root->value(QLatin1String("topics"));
    if (!topics.isObject())
        return json::badField(QLatin1String("topics"), QStringLiteral("must be an object"));

    static const QRegularExpression topicRe(QStringLiteral("^[a-z][a-z0-9_]{0,40}$"));
    PrearrivalKnowledge k;
    const QJsonObject map = topics.toObject();
    for (auto it = map.constBegin(); it != map.constEnd(); ++it) {
        const auto bad = [&it](const QString &why) {
            return ProtocolError{QStringLiteral("bad_field"),
                                 QStringLiteral("topic '%1': %2").arg(it.key(), why)};
        };
        if (!topicRe.match(it.key()).hasMatch())
            return bad(QStringLiteral("invalid topic name"));
        if (!it->isObject())
            return bad(QStringLiteral("must be an object"));
        const QJsonObject e = it->toObject();
        auto title = json::requiredString(e, QLatin1String("title"), 200);
        if (!title)
            return bad(title.error().message);
        auto source = json::requiredString(e, QLatin1String("source"), 200);
        if (!source)
            return bad(source.error().message);
        const QJsonValue steps = e.value(QLatin1String("steps"));
        if (!steps.isArray() || steps.toArray().isEmpty() || steps.toArray().size() > MaxSteps)
            return bad(QStringLiteral("steps must be a list of 1 to %1 strings").arg(MaxSteps));
        PrearrivalInstructions p{it.key(), title.value(), {}, source.value()};
        for (const QJsonValue &s : steps.toArray()) {
            if (!s.isString() || s.toString().trimmed().isEmpty() ||
                s.toString().size() > MaxStepChars)
                return bad(QStringLiteral("every step must be a non-empty string of at most %1 "
                                          "characters")
                               .arg(MaxStepChars));
            p.steps.append(s.toString().trimmed());
        }
        k.m_entries.insert(it.key(), p);
    }
    return k;
}

Parsed<PrearrivalKnowledge> PrearrivalKnowledge::load(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return ProtocolError{QStringLiteral("io_error"),
                             QStringLiteral("cannot read %1: %2").arg(path, f.errorString())};
    return parse(f.read(MaxFileBytes + 1));
}

QString defaultPrearrivalKnowledgePath()
{
    return QStringLiteral(":/knowledge/prearrival.json");
}

} // namespace dispatch
