#include "callwall.h"

#include "calls/roomstats.h"
#include "callwallmodel.h"
#include "theme.h"
#include "walltiledelegate.h"

#include <QEvent>
#include <QFrame>
#include <QGridLayout>
#include <QLabel>
#include <QListView>
#include <QScrollBar>
#include <QVBoxLayout>

namespace dispatch {

namespace {

enum StatIndex
{
    Ringing,
    Active,
    OnHold,
    Within15,
    Within20,
    MeanAnswer,
    AnswerToTriage,
    Abandoned,
    CallbacksDue,
    StatCount
};

// NENA call answering standard (NENA-STA-020): 90 % of calls answered within 15 s, 95 %
// within 20 s.
constexpr double Within15Target = 0.90;
constexpr double Within20Target = 0.95;

QString percent(const std::optional<double> &share)
{
    return share ? QStringLiteral("%1%").arg(qRound(*share * 100)) : QStringLiteral("—");
}

QString seconds(const std::optional<qint64> &ms)
{
    return ms ? QStringLiteral("%1 s").arg(static_cast<double>(*ms) / 1000.0, 0, 'f', 1)
              : QStringLiteral("—");
}

int against(const std::optional<double> &share, double target)
{
    if (!share)
        return 0;
    return *share + 1e-9 >= target ? 1 : -1;
}

} // namespace

CallWall::CallWall(CallStore &store, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_model(new CallWallModel(store, this))
    , m_tiles(new QListView(this))
    , m_delegate(new WallTileDelegate(m_tiles))
{
    setWindowTitle(tr("Call wall"));
    setObjectName(QStringLiteral("callWall"));
    auto *layout = new QVBoxLayout(this);
    m_statsGrid = new QGridLayout;
    m_statsGrid->setSpacing(8);
    QFont valueFont = font();
    valueFont.setPixelSize(30);
    valueFont.setBold(true);
    QFont captionFont = font();
    captionFont.setPixelSize(16);
    for (int i = 0; i < StatCount; ++i) {
        auto *box = new QFrame(this);
        box->setFrameShape(QFrame::StyledPanel);
        auto *boxLayout = new QVBoxLayout(box);
        boxLayout->setContentsMargins(8, 4, 8, 6);
        boxLayout->setSpacing(0);
        Stat stat;
        stat.caption = new QLabel(box);
        stat.caption->setFont(captionFont);
        stat.value = new QLabel(box);
        stat.value->setFont(valueFont);
        for (QLabel *label : {stat.caption, stat.value}) {
            label->setAlignment(Qt::AlignCenter);
            label->setTextFormat(Qt::PlainText);
            label->setWordWrap(true);
            // Nine statistics share the width: on a narrow screen a caption wraps and a long
            // word may be cut, but the wall still fits (the tiles matter more).
            label->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
            boxLayout->addWidget(label);
        }
        stat.box = box;
        m_stats.append(stat);
    }
    layout->addLayout(m_statsGrid);
    layoutStats();
    m_tiles->setModel(m_model);
    m_tiles->setItemDelegate(m_delegate);
    m_tiles->setViewMode(QListView::IconMode);
    m_tiles->setMovement(QListView::Static);
    m_tiles->setResizeMode(QListView::Adjust);
    m_tiles->setWrapping(true);
    m_tiles->setUniformItemSizes(true);
    m_tiles->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_tiles->setSelectionMode(QAbstractItemView::NoSelection);
    m_tiles->setFocusPolicy(Qt::NoFocus);
    m_tiles->setFrameShape(QFrame::NoFrame);
    layout->addWidget(m_tiles, 1);
    m_tiles->viewport()->installEventFilter(this);
    connect(m_model, &CallWallModel::refreshed, this, &CallWall::updateStats);
    updateStats();
    resize(1600, 900);
    layoutTiles();
}

bool CallWall::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_tiles->viewport() && event->type() == QEvent::Resize)
        layoutTiles();
    return QWidget::eventFilter(watched, event);
}

void CallWall::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    layoutStats();
}

void CallWall::layoutStats()
{
    // One row when every statistic gets MinStatWidth, else two: a figure is never cut.
    const int columns = width() >= StatCount * MinStatWidth ? StatCount : (StatCount + 1) / 2;
    if (columns == m_statColumns)
        return;
    m_statColumns = columns;
    for (const Stat &stat : std::as_const(m_stats))
        m_statsGrid->removeWidget(stat.box);
    for (int c = 0; c < m_statsGrid->columnCount(); ++c)
        m_statsGrid->setColumnStretch(c, 0);
    for (int i = 0; i < m_stats.size(); ++i)
        m_statsGrid->addWidget(m_stats.at(i).box, i / columns, i % columns);
    for (int c = 0; c < columns; ++c)
        m_statsGrid->setColumnStretch(c, 1);
    layout()->activate(); // now, not on the next pass of the event loop: no frame with both
}

void CallWall::layoutTiles()
{
    // The scroll bar's width (and a few pixels of slack for the view's own rounding) is kept
    // free so a wall that grows one row too many does not re-flow into one column less.
    const int width =
        std::max(MinTileWidth, m_tiles->viewport()->width() -
                                   m_tiles->verticalScrollBar()->sizeHint().width() - 8);
    const int columns = std::max(1, width / MinTileWidth);
    const int tileWidth = width / columns;
    const QSize tile(tileWidth,
                     tileWidth * WallTileDelegate::TileHeight / WallTileDelegate::TileWidth);
    if (tile == m_delegate->tileSize())
        return;
    m_delegate->setTileSize(tile);
    m_tiles->setGridSize(tile);
}

QSize CallWall::tileSize() const
{
    return m_delegate->tileSize();
}

int CallWall::tilesInFirstRow() const
{
    const int top = m_tiles->visualRect(m_model->index(0)).top();
    int n = 0;
    while (n < m_model->rowCount() && m_tiles->visualRect(m_model->index(n)).top() == top)
        ++n;
    return n;
}

int CallWall::statTargetState(int index) const
{
    return m_stats.value(index).targetState;
}

void CallWall::updateStats()
{
    const RoomStats s = RoomStats::compute(m_store.calls(), m_store.now());
    const QString captions[StatCount] = {
        tr("Ringing"),
        tr("Active"),
        tr("On hold"),
        tr("≤ 15 s today (target %1%)").arg(qRound(Within15Target * 100)),
        tr("≤ 20 s today (target %1%)").arg(qRound(Within20Target * 100)),
        tr("Mean answer"),
        tr("Answer → triage"),
        tr("Abandoned today"),
        tr("Callbacks due"),
    };
    const QString values[StatCount] = {
        QString::number(s.ringing),       QString::number(s.active),
        QString::number(s.onHold),        percent(s.answeredWithin15Share),
        percent(s.answeredWithin20Share), seconds(s.meanAnswerMs),
        seconds(s.meanAnswerToTriageMs),  QString::number(s.abandonedToday),
        QString::number(s.callbacksDue),
    };
    int targets[StatCount] = {};
    targets[Within15] = against(s.answeredWithin15Share, Within15Target);
    targets[Within20] = against(s.answeredWithin20Share, Within20Target);
    targets[CallbacksDue] = s.callbacksDue > 0 ? -1 : 0; // every caller waiting is a miss
    for (int i = 0; i < StatCount; ++i) {
        Stat &stat = m_stats[i];
        if (stat.caption->text() != captions[i]) // no repaint when nothing changed
            stat.caption->setText(captions[i]);
        if (stat.value->text() != values[i])
            stat.value->setText(values[i]);
        if (stat.targetState == targets[i])
            continue;
        stat.targetState = targets[i];
        // Met: green, missed: red, both as fills with text chosen for contrast.
        const QColor fill = targets[i] > 0   ? severityColor(1)
                            : targets[i] < 0 ? redAlarmColor()
                                             : QColor();
        stat.value->setStyleSheet(fill.isValid()
                                      ? QStringLiteral("QLabel { background: %1; color: %2; "
                                                       "border-radius: 6px; padding: 0 8px; }")
                                            .arg(fill.name(), textColorOn(fill).name())
                                      : QStringLiteral("QLabel { }"));
        stat.value->setToolTip(targets[i] > 0 ? tr("Meets the target")
                               : i == CallbacksDue && targets[i] < 0
                                   ? tr("Callers who hung up or were lost wait for a callback")
                               : targets[i] < 0 ? tr("Below the target")
                                                : QString());
    }
}

QString CallWall::statsText() const
{
    QStringList parts;
    for (const Stat &stat : m_stats)
        parts << stat.caption->text() + QLatin1Char(' ') + stat.value->text();
    return parts.join(QStringLiteral(" | "));
}

} // namespace dispatch
