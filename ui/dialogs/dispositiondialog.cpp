#include "dialogs/dispositiondialog.h"

namespace dispatch {

QString dispositionLabel(Disposition disposition)
{
    switch (disposition) {
    case Disposition::None:
        return DispositionDialog::tr("none given");
    case Disposition::UnitsDispatched:
        return DispositionDialog::tr("Units dispatched");
    case Disposition::TransferredToAgency:
        return DispositionDialog::tr("Transferred to another agency");
    case Disposition::CallerDisconnected:
        return DispositionDialog::tr("Caller disconnected");
    case Disposition::HandledWithoutDispatch:
        return DispositionDialog::tr("Handled without dispatch");
    case Disposition::FalseAlarm:
        return DispositionDialog::tr("False alarm / no emergency");
    }
    return QString();
}

QString storedDispositionLabel(const QString &code)
{
    const auto disposition = dispositionFromString(code);
    return disposition ? dispositionLabel(*disposition) : code;
}

namespace {

ChoiceDialog::Texts dispositionTexts(const QString &callId)
{
    return {DispositionDialog::tr("End call"),
            DispositionDialog::tr("How was call %1 closed?").arg(callId),
            DispositionDialog::tr("Disposition"),
            QStringLiteral("dispositions"),
            DispositionDialog::tr(
                "Pick with the arrows or 1-%1, Enter ends the call, Esc keeps it live.")
                .arg(dispositionChoices().size()),
            DispositionDialog::tr("&End call"),
            DispositionDialog::tr("&Keep the call")};
}

QList<std::pair<QString, int>> dispositionItems()
{
    QList<std::pair<QString, int>> items;
    for (Disposition d : dispositionChoices())
        items.append({dispositionLabel(d), static_cast<int>(d)});
    return items;
}

} // namespace

DispositionDialog::DispositionDialog(const QString &callId, QWidget *parent)
    : ChoiceDialog(callId, dispositionTexts(callId), dispositionItems(), parent)
{}

Disposition DispositionDialog::disposition() const
{
    const int value = pickedValue();
    return value < 0 ? Disposition::None : static_cast<Disposition>(value);
}

} // namespace dispatch
