#pragma once

#include "common/clock.h"

#include <QWidget>

class QLabel;
class QTableView;

namespace dispatch {

class CallHistoryModel;
class HistorySearch;
class RecallView;
class Storage;
struct StoredCall;

// Past calls: search (Ctrl+F), open one (Enter), play it back with bookmarks and the synced
// transcript (Space, Left/Right), export it (Ctrl+E). Playback and export are audited as the
// console operator. Runs the (indexed, LIMITed) queries on the UI thread: a search over a busy
// week takes milliseconds (tst_historysearch measures it).
class HistoryWindow : public QWidget
{
    Q_OBJECT

public:
    HistoryWindow(Storage &storage, QString actor, QDateTime consoleStartedAt,
                  Clock clock = systemClock(), QWidget *parent = nullptr);

    // The calls of this shift, newest first and selected.
    void showRecent();
    void runSearch();
    void openSelected();
    void exportOpenedTo(const QString &dir);

    HistorySearch *search() const { return m_search; }
    CallHistoryModel *model() const { return m_model; }
    QTableView *results() const { return m_results; }
    RecallView *recall() const { return m_recall; }
    QString statusText() const;

private:
    void chooseExportDir();
    void audit(const QString &action, const StoredCall &call);
    void setStatus(const QString &text, bool error);

    Storage &m_storage;
    QString m_actor;
    HistorySearch *m_search;
    CallHistoryModel *m_model;
    QTableView *m_results;
    QLabel *m_status;
    RecallView *m_recall;
};

} // namespace dispatch
