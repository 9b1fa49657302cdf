#include "gemini/modelchoice.h"

#include <QLoggingCategory>

namespace dispatch::gemini {

namespace {

Q_LOGGING_CATEGORY(lcModels, "dispatch.gemini")

QString refusalCode(CloseCategory category)
{
    return category == CloseCategory::ModelNotFound ? QStringLiteral("model_not_found")
                                                    : QStringLiteral("bad_request");
}

} // namespace

ModelChoice::ModelChoice(const QStringList &models, LiveBackend backend)
    : m_backend(backend)
{
    for (const QString &m : models) {
        const QString trimmed = m.trimmed();
        if (!trimmed.isEmpty() && !m_models.contains(trimmed))
            m_models.append(trimmed);
    }
    skipShutDown();
}

QStringList ModelChoice::parseList(const QString &commaSeparated)
{
    QStringList out;
    for (const QString &part : commaSeparated.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString trimmed = part.trimmed();
        if (!trimmed.isEmpty())
            out.append(trimmed);
    }
    return out;
}

void ModelChoice::skipShutDown()
{
    while (!exhausted()) {
        const ModelCapabilities caps = modelCapabilities(m_models.at(m_index), m_backend);
        if (!caps.isShutDown())
            return;
        qCWarning(lcModels).noquote() << "model" << m_models.at(m_index) << "skipped: shut down on"
                                      << caps.shutDownOn.toString(Qt::ISODate);
        m_skipped.append({m_models.at(m_index), QStringLiteral("shut_down")});
        ++m_index;
    }
}

QString ModelChoice::current() const
{
    return exhausted() ? QString() : m_models.at(m_index);
}

bool ModelChoice::refuse(const QString &model, CloseCategory category)
{
    if (exhausted())
        return false;
    if (model != current())
        return true; // refused with a model already left behind: retry with the current one
    if (category != CloseCategory::ModelNotFound && category != CloseCategory::BadRequest)
        return true;
    qsizetype next = m_index + 1;
    while (next < m_models.size() && modelCapabilities(m_models.at(next), m_backend).isShutDown())
        ++next;
    if (next >= m_models.size())
        return false; // the last model stays: each new call tries it again, and fails the same
    m_skipped.append({model, refusalCode(category)});
    for (qsizetype i = m_index + 1; i < next; ++i) {
        qCWarning(lcModels).noquote() << "model" << m_models.at(i) << "skipped: shut down";
        m_skipped.append({m_models.at(i), QStringLiteral("shut_down")});
    }
    if (m_confirmed == model)
        m_confirmed.clear();
    m_index = next;
    qCWarning(lcModels).noquote() << "model" << model << "refused (" << refusalCode(category)
                                  << "): trying" << current();
    return true;
}

bool ModelChoice::confirm(const QString &model)
{
    if (model.isEmpty() || model == m_confirmed)
        return false;
    m_confirmed = model;
    return true;
}

QString ModelChoice::reasonCode() const
{
    if (exhausted())
        return QStringLiteral("none_left");
    return m_skipped.isEmpty() ? QStringLiteral("first_choice") : QStringLiteral("fallback");
}

QString ModelChoice::describe() const
{
    const QString model = exhausted() ? QStringLiteral("(none)") : current();
    if (m_skipped.isEmpty())
        return QStringLiteral("%1 (first choice)").arg(model);
    QStringList why;
    for (const Skipped &s : m_skipped)
        why.append(QStringLiteral("%1: %2").arg(s.model, QString(s.reason).replace(u'_', u' ')));
    return QStringLiteral("%1 (%2)").arg(model, why.join(QStringLiteral("; ")));
}

} // namespace dispatch::gemini
