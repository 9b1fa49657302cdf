#pragma once

#include <QObject>
#include <QPointer>

class QWidget;

namespace dispatch {

class CallActions;
class CallStore;
class DispositionDialog;
class FollowUpDialog;
class TransferPicker;

// The steps that ask before acting on a call, so that a slip of the hand cannot close or misroute
// it: ending a serious call asks how it was closed (DispositionDialog), a transfer picks one of
// the dispatchers the host knows (TransferPicker). Routine calls end at once. The dialogs are
// window-modal and open without blocking; what they decide goes out through CallActions.
class CallGuards : public QObject
{
    Q_OBJECT

public:
    // `window`: the dialogs' parent.
    CallGuards(CallStore &store, CallActions &actions, QWidget *window);

    // Ends the call, asking for a disposition first when the call needs one
    // (needsDisposition); an ended or unknown call is handed on for CallActions to refuse.
    void end(const QString &callId);
    // Opens the picker of transfer targets for a live call; says why instead when there is
    // nobody to pick.
    void transfer(const QString &callId);
    // Asks what came of the follow-up of an abandoned or lost call (FollowUpDialog); says why
    // instead when the call has no open follow-up.
    void followUp(const QString &callId);

    // The open dialogs, if any (for tests and screenshots).
    DispositionDialog *dispositionDialog() const;
    TransferPicker *transferPicker() const;
    FollowUpDialog *followUpDialog() const;

Q_SIGNALS:
    // Something to tell the dispatcher (status bar), already translated.
    void told(const QString &message);

private:
    void refreshTargets();

    CallStore &m_store;
    CallActions &m_actions;
    QWidget *m_window;
    QPointer<DispositionDialog> m_disposition;
    QPointer<TransferPicker> m_transfer;
    QPointer<FollowUpDialog> m_followUp;
};

} // namespace dispatch
