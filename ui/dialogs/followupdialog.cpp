#include "dialogs/followupdialog.h"
#include "placetext.h"

#include "callqueuemodel.h"
#include "triagecard.h"

namespace dispatch {

QString followUpLabel(FollowUp followUp)
{
    switch (followUp) {
    case FollowUp::None:
        return QString();
    case FollowUp::Open:
        return FollowUpDialog::tr("follow-up open");
    case FollowUp::CalledBack:
        return FollowUpDialog::tr("Called back");
    case FollowUp::NoAnswer:
        return FollowUpDialog::tr("Called back, no answer");
    case FollowUp::Handled:
        return FollowUpDialog::tr("Handled otherwise");
    }
    return QString();
}

QString storedFollowUpLabel(const QString &code)
{
    const auto followUp = followUpFromString(code);
    return followUp ? followUpLabel(*followUp) : code;
}

QStringList followUpStateTexts()
{
    return {FollowUpDialog::tr("ABANDONED - call back"), FollowUpDialog::tr("CALLER LOST")};
}

QString followUpStateText(const Call &call)
{
    if (call.followUp != FollowUp::Open)
        return QString();
    return followUpStateTexts().value(call.endReason == EndReason::CallerLost ? 1 : 0);
}

QString callbackText(const Call &call)
{
    const QString where = call.location ? FollowUpDialog::tr("last location %1")
                                              .arg(PlaceText::place(call.location, call.address, 4))
                                        : FollowUpDialog::tr("no location");
    return FollowUpDialog::tr("No callback number: the caller used the phone web page (caller "
                              "%1, %2).")
        .arg(callerLabel(call.id), where);
}

namespace {

ChoiceDialog::Texts followUpTexts(const Call &call)
{
    return {FollowUpDialog::tr("Follow up call"),
            FollowUpDialog::tr("%1: what came of the follow-up of call %2?")
                .arg(call.endReason == EndReason::CallerLost ? FollowUpDialog::tr("Caller lost")
                                                             : FollowUpDialog::tr("Abandoned"),
                     call.id),
            FollowUpDialog::tr("Follow-up"),
            QStringLiteral("followUps"),
            FollowUpDialog::tr("Pick with the arrows or 1-%1, Enter records it, Esc leaves the "
                               "follow-up open.")
                .arg(followUpResolutions().size()),
            FollowUpDialog::tr("&Record"),
            FollowUpDialog::tr("&Leave open")};
}

QList<std::pair<QString, int>> followUpItems()
{
    QList<std::pair<QString, int>> items;
    for (FollowUp f : followUpResolutions())
        items.append({followUpLabel(f), static_cast<int>(f)});
    return items;
}

} // namespace

FollowUpDialog::FollowUpDialog(const Call &call, QWidget *parent)
    : ChoiceDialog(call.id, followUpTexts(call), followUpItems(), parent)
{
    refresh(call);
}

void FollowUpDialog::refresh(const Call &call)
{
    QStringList lines{callbackText(call).toHtmlEscaped()};
    if (call.triage)
        lines << tr("While it rang: severity %1, %2. %3")
                     .arg(call.triage->severity)
                     .arg(responseTypeLabel(call.triage->responseType),
                          call.triage->situationSummary)
                     .toHtmlEscaped();
    else
        lines << tr("Nothing assessed from the time it rang.").toHtmlEscaped();
    setDetails(lines.join(QStringLiteral("<br>")));
}

FollowUp FollowUpDialog::resolution() const
{
    const int value = pickedValue();
    return value < 0 ? FollowUp::None : static_cast<FollowUp>(value);
}

} // namespace dispatch
