#pragma once

#include "domain/triagelink.h"

#include <QWidget>

namespace dispatch {

class ElidedLabel;
struct Call;

// The selected call at a glance, as fields on two fixed lines: caller and state, whether the
// caller's connection is lost; who handles it, where the AI triage comes from (the location is
// on the CallerCard below). Every
// field has a fixed share of the width and is elided (the whole text in its tooltip), so what
// the header says never moves or widens anything around it.
class CallHeader : public QWidget
{
    Q_OBJECT

public:
    explicit CallHeader(QWidget *parent = nullptr);

    // Null: no call selected.
    void showCall(const Call *call);

    // The full text of every field, joined (for tests and accessibility).
    QString text() const;

    // Where the AI triage comes from, with why, in this console's language.
    static QString aiLinkText(const TriageLink &link);
    static QString aiLinkReasonText(const TriageLink &link);
    static QString failureText(TriageFailureKind kind);

private:
    ElidedLabel *m_title;
    ElidedLabel *m_connection;
    ElidedLabel *m_handler;
    ElidedLabel *m_aiLink;
};

} // namespace dispatch
