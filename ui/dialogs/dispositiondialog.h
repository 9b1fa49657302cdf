#pragma once

#include "dialogs/choicedialog.h"
#include "domain/disposition.h"

namespace dispatch {

// The dispatcher's words for a disposition code (stored ones too: an unknown code is shown as
// it is).
QString dispositionLabel(Disposition disposition);
QString storedDispositionLabel(const QString &code);

// Asked before a serious call ends: how was it closed? The arrows or the digits 1-5 pick, Enter
// ends the call with the picked disposition, Esc keeps it live (ChoiceDialog).
class DispositionDialog : public ChoiceDialog
{
    Q_OBJECT

public:
    DispositionDialog(const QString &callId, QWidget *parent = nullptr);

    // None until one is picked.
    Disposition disposition() const;
};

} // namespace dispatch
