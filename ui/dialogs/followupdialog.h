#pragma once

#include "dialogs/choicedialog.h"
#include "domain/call.h"

namespace dispatch {

// The dispatcher's words for a follow-up code (stored ones too: an unknown code is shown as it
// is).
QString followUpLabel(FollowUp followUp);
QString storedFollowUpLabel(const QString &code);
// What the queue says of a call whose follow-up is open: "ABANDONED - call back" or
// "CALLER LOST"; empty for any other call.
QString followUpStateText(const Call &call);
// Every text followUpStateText() may give (to size the queue's State column).
QStringList followUpStateTexts();
// How the dispatcher can reach the caller again, from what the call has: phones call through
// the web page, so there is no number; the caller's label and last location are what is known.
QString callbackText(const Call &call);

// Asked for an abandoned or lost call (F7): what came of the follow-up? Shows how to reach the
// caller and what the caller said while the call rang; the arrows or 1-3 pick, Enter records it,
// Esc leaves the follow-up open (ChoiceDialog).
class FollowUpDialog : public ChoiceDialog
{
    Q_OBJECT

public:
    explicit FollowUpDialog(const Call &call, QWidget *parent = nullptr);

    // None until one is picked.
    FollowUp resolution() const;
    // The call's details again (its ring-time assessment may arrive while the dialog is open).
    void refresh(const Call &call);
};

} // namespace dispatch
