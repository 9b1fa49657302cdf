#pragma once

#include <QLabel>

namespace dispatch {

// A one-line label whose width never follows its text: it shows what fits, ends with "…" when
// the text is longer, and its tooltip always holds the whole text. Its minimum width is a few
// characters, so a long caller id, reason or translation cannot widen a pane or the window.
class ElidedLabel : public QLabel
{
    Q_OBJECT

public:
    explicit ElidedLabel(QWidget *parent = nullptr);

    // Sets the text and the tooltip (the whole text; `tip` instead when given).
    void setFullText(const QString &text, const QString &tip = QString());
    bool isElided() const;

    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
};

} // namespace dispatch
