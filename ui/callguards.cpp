#include "callguards.h"

#include "calls/callstore.h"
#include "dialogs/dispositiondialog.h"
#include "dialogs/followupdialog.h"
#include "dialogs/transferpicker.h"
#include "domain/callactions.h"

#include <QWidget>

#include <algorithm>

namespace dispatch {

CallGuards::CallGuards(CallStore &store, CallActions &actions, QWidget *window)
    : QObject(window)
    , m_store(store)
    , m_actions(actions)
    , m_window(window)
{
    connect(&actions, &CallActions::transferTargetsChanged, this, &CallGuards::refreshTargets);
    // A call that ends (or moves) under an open dialog: the question is moot.
    connect(&store, &CallStore::callEnded, this, [this](const QString &id) {
        if (m_disposition && m_disposition->isVisible() && m_disposition->callId() == id) {
            m_disposition->reject();
            Q_EMIT told(tr("Call %1 ended before a disposition was chosen.").arg(id));
        }
        if (m_transfer && m_transfer->isVisible() && m_transfer->callId() == id) {
            m_transfer->reject();
            Q_EMIT told(tr("Call %1 ended; it was not transferred.").arg(id));
        }
    });
    connect(&store, &CallStore::callTransferred, this, &CallGuards::refreshTargets);
    // Another console resolved the follow-up first; or the ring-time assessment came in.
    connect(&store, &CallStore::followUpResolved, this,
            [this](const QString &id, FollowUp, const QString &by) {
                if (m_followUp && m_followUp->isVisible() && m_followUp->callId() == id) {
                    m_followUp->reject();
                    Q_EMIT told(tr("%1 has already followed up call %2.").arg(by, id));
                }
            });
    connect(&store, &CallStore::triageUpdated, this, [this](const QString &id) {
        if (const Call *c = m_store.call(id); c && m_followUp && m_followUp->callId() == id)
            m_followUp->refresh(*c);
    });
}

FollowUpDialog *CallGuards::followUpDialog() const
{
    return m_followUp;
}

void CallGuards::followUp(const QString &callId)
{
    const Call *call = m_store.call(callId);
    if (!call || call->followUp != FollowUp::Open) {
        Q_EMIT told(tr("Select an abandoned or lost call to follow up."));
        return;
    }
    if (m_followUp)
        m_followUp->reject();
    auto *dialog = new FollowUpDialog(*call, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_followUp = dialog;
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        if (dialog->resolution() != FollowUp::None)
            m_actions.resolveFollowUp(dialog->callId(), dialog->resolution());
    });
    dialog->open();
}

DispositionDialog *CallGuards::dispositionDialog() const
{
    return m_disposition;
}

TransferPicker *CallGuards::transferPicker() const
{
    return m_transfer;
}

void CallGuards::end(const QString &callId)
{
    const Call *call = m_store.call(callId);
    if (!call)
        return;
    if (!call->isLive() || !needsDisposition(*call)) {
        m_actions.end(callId, Disposition::None);
        return;
    }
    if (m_disposition) {
        m_disposition->activateWindow();
        return;
    }
    auto *dialog = new DispositionDialog(callId, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_disposition = dialog;
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        if (dialog->disposition() != Disposition::None)
            m_actions.end(dialog->callId(), dialog->disposition());
    });
    connect(dialog, &QDialog::rejected, this, [this, dialog] {
        if (const Call *c = m_store.call(dialog->callId()); c && c->isLive())
            Q_EMIT told(tr("Call %1 stays live.").arg(dialog->callId()));
    });
    dialog->open();
}

void CallGuards::transfer(const QString &callId)
{
    const Call *call = m_store.call(callId);
    if (!call || !call->isLive()) {
        Q_EMIT told(tr("Select a call to transfer."));
        return;
    }
    const QList<TransferTarget> targets = m_actions.transferTargets();
    const bool anyone =
        std::any_of(targets.cbegin(), targets.cend(),
                    [call](const TransferTarget &t) { return t.name != call->answeredBy; });
    if (!anyone) {
        Q_EMIT told(tr("No other dispatcher can take call %1: the host knows no dispatcher to "
                       "transfer it to.")
                        .arg(callId));
        return;
    }
    if (m_transfer)
        m_transfer->reject();
    auto *picker = new TransferPicker(callId, m_window);
    picker->setAttribute(Qt::WA_DeleteOnClose);
    m_transfer = picker;
    refreshTargets();
    connect(picker, &QDialog::accepted, this, [this, picker] {
        const QString to = picker->chosenName();
        if (!to.isEmpty())
            m_actions.transfer(picker->callId(), to);
    });
    picker->open();
}

void CallGuards::refreshTargets()
{
    if (!m_transfer)
        return;
    const Call *call = m_store.call(m_transfer->callId());
    m_transfer->setTargets(m_actions.transferTargets(), call ? call->answeredBy : QString());
}

} // namespace dispatch
