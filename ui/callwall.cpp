#include "callwall.h"

#include "calls/roomstats.h"
#include "callwallmodel.h"
#include "walltiledelegate.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QVBoxLayout>

namespace dispatch {

namespace {

enum Stat
{
    Ringing,
    Active,
    OnHold,
    Within15,
    Within20,
    MeanAnswer,
    AnswerToTriage,
    Abandoned,
    StatCount
};

QString percent(const std::optional<double> &share)
{
    return share ? QStringLiteral("%1%").arg(qRound(*share * 100)) : QStringLiteral("—");
}

QString seconds(const std::optional<qint64> &ms)
{
    return ms ? QStringLiteral("%1 s").arg(static_cast<double>(*ms) / 1000.0, 0, 'f', 1)
              : QStringLiteral("—");
}

} // namespace

CallWall::CallWall(CallStore &store, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_model(new CallWallModel(store, this))
    , m_tiles(new QListView(this))
{
    setWindowTitle(tr("Call wall"));
    setObjectName(QStringLiteral("callWall"));
    auto *layout = new QVBoxLayout(this);
    auto *statsRow = new QHBoxLayout;
    QFont statFont = font();
    statFont.setPixelSize(28);
    statFont.setBold(true);
    for (int i = 0; i < StatCount; ++i) {
        auto *label = new QLabel(this);
        label->setFont(statFont);
        label->setAlignment(Qt::AlignCenter);
        label->setTextFormat(Qt::PlainText);
        statsRow->addWidget(label, 1);
        m_stats.append(label);
    }
    layout->addLayout(statsRow);
    m_tiles->setModel(m_model);
    m_tiles->setItemDelegate(new WallTileDelegate(m_tiles));
    m_tiles->setViewMode(QListView::IconMode);
    m_tiles->setMovement(QListView::Static);
    m_tiles->setResizeMode(QListView::Adjust);
    m_tiles->setWrapping(true);
    m_tiles->setUniformItemSizes(true);
    m_tiles->setGridSize(QSize(WallTileDelegate::TileWidth, WallTileDelegate::TileHeight));
    m_tiles->setSelectionMode(QAbstractItemView::NoSelection);
    m_tiles->setFocusPolicy(Qt::NoFocus);
    m_tiles->setFrameShape(QFrame::NoFrame);
    layout->addWidget(m_tiles, 1);
    connect(m_model, &CallWallModel::refreshed, this, &CallWall::updateStats);
    updateStats();
    resize(1600, 900);
}

void CallWall::updateStats()
{
    const RoomStats s = RoomStats::compute(m_store.calls(), m_store.now());
    const QString texts[StatCount] = {
        tr("Ringing\n%1").arg(s.ringing),
        tr("Active\n%1").arg(s.active),
        tr("On hold\n%1").arg(s.onHold),
        tr("≤ 15 s today\n%1").arg(percent(s.answeredWithin15Share)),
        tr("≤ 20 s today\n%1").arg(percent(s.answeredWithin20Share)),
        tr("Mean answer\n%1").arg(seconds(s.meanAnswerMs)),
        tr("Answer → triage\n%1").arg(seconds(s.meanAnswerToTriageMs)),
        tr("Abandoned today\n%1").arg(s.abandonedToday),
    };
    for (int i = 0; i < StatCount; ++i) {
        if (m_stats.at(i)->text() != texts[i]) // no repaint when nothing changed
            m_stats.at(i)->setText(texts[i]);
    }
}

QString CallWall::statsText() const
{
    QStringList parts;
    for (const QLabel *label : m_stats)
        parts << label->text().replace(QLatin1Char('\n'), QLatin1Char(' '));
    return parts.join(QStringLiteral(" | "));
}

} // namespace dispatch
