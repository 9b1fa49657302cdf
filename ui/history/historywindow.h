#pragma once

#include "common/parseresult.h"

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
// console operator. Searches run on the storage's history thread (a large one never freezes the
// console); opening one call reads it on the UI thread (a few indexed queries).
class HistoryWindow : public QWidget
{
    Q_OBJECT

public:
    // The columns fit the first this many rows of the results (the visible ones first), not
    // every row: bounded UI work however many calls a search returns.
    static constexpr int RowsSizedForColumns = 50;

    HistoryWindow(Storage &storage, QString actor, QDateTime consoleStartedAt,
                  Clock clock = systemClock(), QWidget *parent = nullptr);

    // The calls of this shift, newest first and selected.
    void showRecent();
    // Starts a search with the form's filters; false when the form is wrong or history is
    // unavailable (the status says why). The results replace the list when searchFinished().
    bool runSearch();
    void openSelected();
    void exportOpenedTo(const QString &dir);

    HistorySearch *search() const { return m_search; }
    CallHistoryModel *model() const { return m_model; }
    QTableView *results() const { return m_results; }
    RecallView *recall() const { return m_recall; }
    QString statusText() const;

Q_SIGNALS:
    void searchFinished(); // the latest search's results (or its failure) are shown

private:
    void chooseExportDir();
    void audit(const QString &action, const StoredCall &call);
    void setStatus(const QString &text, bool error);
    void showResults(const Parsed<QList<StoredCall>> &found, int limit, qint64 elapsedMs);

    Storage &m_storage;
    quint64 m_searchGeneration = 0; // only the newest search's results are shown
    QString m_actor;
    HistorySearch *m_search;
    CallHistoryModel *m_model;
    QTableView *m_results;
    QLabel *m_status;
    RecallView *m_recall;
};

} // namespace dispatch
