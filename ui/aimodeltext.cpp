#include "aimodeltext.h"

#include <QStringList>

namespace dispatch {

namespace {

QString reasonText(const QString &code)
{
    if (code == QLatin1String("shut_down"))
        return AiModelText::tr("shut down by Google");
    if (code == QLatin1String("model_not_found"))
        return AiModelText::tr("not found by the service");
    if (code == QLatin1String("bad_request"))
        return AiModelText::tr("setup refused by the service");
    return code;
}

} // namespace

AiModelText::LinkCounts AiModelText::countLinks(const CallStore &store)
{
    LinkCounts n;
    for (const Call *c : store.calls()) {
        if (!c->isLive())
            continue;
        const TriageLinkState s = c->triageLink.state;
        if (s == TriageLinkState::Connecting || s == TriageLinkState::Live ||
            s == TriageLinkState::Resuming)
            ++n.gemini;
        else if (s == TriageLinkState::Local || s == TriageLinkState::Failed)
            ++n.local;
    }
    return n;
}

QString AiModelText::label(const gemini::ModelChoice &choice)
{
    const QString model = choice.current();
    if (model.isEmpty() || choice.reasonCode() == QLatin1String("none_left"))
        return tr("no Gemini model left");
    if (choice.reasonCode() == QLatin1String("fallback"))
        return tr("model %1 (fallback)").arg(model);
    return tr("model %1").arg(model);
}

QString AiModelText::tooltip(const gemini::ModelChoice &choice)
{
    QStringList lines;
    for (const auto &s : choice.skipped())
        lines << tr("%1: %2").arg(s.model, reasonText(s.reason));
    const QString model = choice.current();
    if (!model.isEmpty())
        lines << (choice.confirmed() == model
                      ? tr("%1 is in use and has answered.").arg(model)
                      : tr("%1 is configured; no call has used it yet.").arg(model));
    return lines.join(QLatin1Char('\n'));
}

QString AiModelText::shadowsLabel(const ShadowStatus &shadows)
{
    if (shadows.reason == ShadowLimitReason::Off && shadows.active == 0)
        return QString();
    return tr("%1 of %2 calls shadowed").arg(shadows.active).arg(shadows.limit);
}

QString AiModelText::shadowsTooltip(const ShadowStatus &shadows)
{
    QString why;
    switch (shadows.reason) {
    case ShadowLimitReason::Off:
        return QString();
    case ShadowLimitReason::Cap:
        why = tr("limited by the configured maximum");
        break;
    case ShadowLimitReason::Cpu:
        why = tr("limited by the free CPU, so that the calls' audio is never delayed");
        break;
    case ShadowLimitReason::Latency:
        why = tr("none added while the calls' audio is relayed late");
        break;
    }
    return tr("Shadowed calls have the offline engine running beside Gemini, ready to take over "
              "at once if the link fails; %1.")
        .arg(why);
}

AiModelText::StatusLine AiModelText::statusLine(const CallStore &store, int geminiBudget,
                                                const gemini::ModelChoice *models,
                                                const std::optional<ShadowStatus> &shadows)
{
    const auto [gemini, local] = countLinks(store);
    StatusLine line;
    line.text =
        geminiBudget > 0
            ? tr("AI: %1 of %2 Gemini sessions, %3 local").arg(gemini).arg(geminiBudget).arg(local)
            : tr("AI: %1 on Gemini, %2 local").arg(gemini).arg(local);
    line.tooltip = geminiBudget > 0 ? tr("Calls beyond the Gemini budget get local triage and "
                                         "are upgraded when a session frees")
                                    : QString();
    if (const QString shadowed = shadows ? shadowsLabel(*shadows) : QString();
        !shadowed.isEmpty()) {
        line.text += QStringLiteral(" · ") + shadowed;
        line.tooltip += QLatin1Char('\n') + shadowsTooltip(*shadows);
    }
    if (models) {
        line.text += QStringLiteral(" · ") + label(*models);
        line.tooltip += QLatin1Char('\n') + tooltip(*models);
    }
    return line;
}

} // namespace dispatch
