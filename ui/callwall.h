#pragma once

#include <QWidget>

class QGridLayout;
class QLabel;
class QListView;

namespace dispatch {

class CallStore;
class CallWallModel;
class WallTileDelegate;

// The supervisor's call wall for a big screen: room statistics across the top, then a tile
// per live call, most urgent first. Opened alone with --wall or from the console's menu.
// Tiles fill the width of whatever screen the wall is on (as many columns of at least
// MinTileWidth as fit), and the answer-time shares are coloured against the NENA targets.
class CallWall : public QWidget
{
    Q_OBJECT

public:
    static constexpr int MinTileWidth = 440;

    explicit CallWall(CallStore &store, QWidget *parent = nullptr);

    CallWallModel *model() const { return m_model; }
    QString statsText() const;   // what the statistics bar shows, for tests
    QSize tileSize() const;      // for tests
    int tilesInFirstRow() const; // for tests: how many tiles the view really put side by side
    // A statistic's state against its target, for tests: 1 met, -1 missed, 0 no target/no data.
    int statTargetState(int index) const;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    static constexpr int Unstyled = 2; // before the first update: style whatever comes
    static constexpr int MinStatWidth = 130;
    struct Stat
    {
        QWidget *box = nullptr;
        QLabel *caption = nullptr;
        QLabel *value = nullptr;
        int targetState = Unstyled; // 1 met, -1 missed, 0 no target/no data
    };
    void updateStats();
    void layoutTiles();
    void layoutStats();

    CallStore &m_store;
    CallWallModel *m_model;
    QListView *m_tiles;
    WallTileDelegate *m_delegate;
    QList<Stat> m_stats;
    QGridLayout *m_statsGrid = nullptr;
    int m_statColumns = 0;
};

} // namespace dispatch
