#pragma once

#include <QWidget>

class QLabel;
class QListView;

namespace dispatch {

class CallStore;
class CallWallModel;

// The supervisor's call wall for a big screen: room statistics across the top, then a tile
// per live call, most urgent first. Opened alone with --wall or from the console's menu.
class CallWall : public QWidget
{
    Q_OBJECT

public:
    explicit CallWall(CallStore &store, QWidget *parent = nullptr);

    CallWallModel *model() const { return m_model; }
    QString statsText() const; // what the statistics bar shows, for tests

private:
    void updateStats();

    CallStore &m_store;
    CallWallModel *m_model;
    QListView *m_tiles;
    QList<QLabel *> m_stats;
};

} // namespace dispatch
