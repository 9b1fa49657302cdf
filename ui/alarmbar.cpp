#include "alarmbar.h"

#include "elidedlabel.h"

#include <QAction>

namespace dispatch {

namespace {

// A toolbar lays its widgets out from their size hints and moves what does not fit into its
// overflow menu: the banner asks for little and expands into the whole width instead (with the
// ignored width policy it used to get none and showed nothing).
class BannerText : public ElidedLabel
{
public:
    using ElidedLabel::ElidedLabel;
    QSize sizeHint() const override { return minimumSizeHint(); }
};

} // namespace

AlarmBar::AlarmBar(const QString &title, const QString &objectName, QWidget *parent)
    : QToolBar(title, parent)
{
    setObjectName(objectName);
    setMovable(false);
    setFloatable(false);
    toggleViewAction()->setVisible(false); // not something to switch off
    m_text = new BannerText(this);
    m_text->setStyleSheet(
        QStringLiteral("background: #b71c1c; color: white; font-weight: bold; padding: 6px;"));
    m_text->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    addWidget(m_text);
    hide();
}

bool AlarmBar::setAlarm(const QString &text)
{
    const bool raised = !text.isEmpty() && m_text->text().isEmpty();
    m_text->setFullText(text);
    setVisible(!text.isEmpty());
    return raised;
}

QString AlarmBar::alarm() const
{
    return isHidden() ? QString() : m_text->text();
}

} // namespace dispatch
