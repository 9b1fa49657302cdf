#include "historywindow.h"

#include "callhistorymodel.h"
#include "historysearch.h"
#include "recallview.h"
#include "storage/storage.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QHeaderView>
#include <QJsonObject>
#include <QLabel>
#include <QLoggingCategory>
#include <QProgressDialog>
#include <QShortcut>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace dispatch {

namespace {
Q_LOGGING_CATEGORY(lcHistory, "dispatch.ui.history")
}

HistoryWindow::HistoryWindow(Storage &storage, QString actor, QDateTime consoleStartedAt,
                             Clock clock, QWidget *parent)
    : QWidget(parent, Qt::Window)
    , m_storage(storage)
    , m_actor(std::move(actor))
    , m_search(new HistorySearch(std::move(clock), std::move(consoleStartedAt), this))
    , m_model(new CallHistoryModel(this))
    , m_results(new QTableView(this))
    , m_status(new QLabel(this))
    , m_recall(new RecallView(this))
{
    setWindowTitle(tr("Call history"));
    setObjectName(QStringLiteral("historyWindow"));
    m_results->setModel(m_model);
    m_results->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_results->setSelectionMode(QAbstractItemView::SingleSelection);
    m_results->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_results->verticalHeader()->hide();
    m_results->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    // Fitting the columns measures every cell of the rows it considers, on the UI thread, each
    // time results arrive: all 200 rows of a full page cost ~10 ms a search on this machine
    // (bench_uistall --history), where the rows on screen and a margin give the same widths.
    m_results->horizontalHeader()->setResizeContentsPrecision(RowsSizedForColumns);
    m_results->horizontalHeader()->setStretchLastSection(true);
    m_results->setAccessibleName(tr("Past calls"));
    m_results->setToolTip(tr("Enter or double-click opens the call"));
    m_status->setWordWrap(true);

    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_search);
    leftLayout->addWidget(m_status);
    leftLayout->addWidget(m_results, 1);
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(left);
    split->addWidget(m_recall);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(split);

    connect(m_search, &HistorySearch::searchRequested, this, &HistoryWindow::runSearch);
    connect(m_results, &QTableView::activated, this, &HistoryWindow::openSelected);
    connect(m_recall, &RecallView::playbackStarted, this,
            [this](const StoredCall &call) { audit(QStringLiteral("playback"), call); });
    connect(m_recall, &RecallView::exportRequested, this, &HistoryWindow::chooseExportDir);

    auto shortcut = [this](const QKeySequence &key, auto slot) {
        auto *s = new QShortcut(key, this);
        s->setContext(Qt::WindowShortcut);
        connect(s, &QShortcut::activated, this, slot);
    };
    shortcut(QKeySequence(Qt::CTRL | Qt::Key_F), [this] { m_search->focusText(); });
    shortcut(QKeySequence(Qt::CTRL | Qt::Key_E), [this] {
        if (m_recall->hasCall())
            chooseExportDir();
    });
    shortcut(QKeySequence(Qt::Key_Space), [this] {
        if (m_recall->hasCall())
            m_recall->player()->togglePlay();
    });
    shortcut(QKeySequence(Qt::Key_Left), [this] { m_recall->seekBy(-RecallView::SeekStepMs); });
    shortcut(QKeySequence(Qt::Key_Right), [this] { m_recall->seekBy(RecallView::SeekStepMs); });
    resize(1300, 800);
}

QString HistoryWindow::statusText() const
{
    return m_status->text();
}

void HistoryWindow::setStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: #e53935; font-weight: bold;")
                                  : QString());
    if (error)
        qCWarning(lcHistory).noquote() << text;
}

void HistoryWindow::showRecent()
{
    m_search->clearFilters();
    m_search->setRange(HistorySearch::Range::ThisShift);
    runSearch();
    m_results->setFocus(Qt::ShortcutFocusReason);
}

bool HistoryWindow::runSearch()
{
    QString error;
    const auto query = m_search->query(&error);
    if (!query) {
        setStatus(error, true);
        return false;
    }
    if (!m_storage.history()) {
        setStatus(tr("Call history is unavailable: %1").arg(m_storage.health().detail()), true);
        return false;
    }
    const quint64 generation = ++m_searchGeneration;
    setStatus(tr("Searching..."), false);
    QElapsedTimer timer;
    timer.start();
    const int limit = query->limit;
    m_storage.searchHistory(
        *query, this, [this, generation, limit, timer](const Parsed<QList<StoredCall>> &found) {
            if (generation != m_searchGeneration)
                return; // a newer search is on its way
            showResults(found, limit, timer.elapsed());
            Q_EMIT searchFinished();
        });
    return true;
}

void HistoryWindow::showResults(const Parsed<QList<StoredCall>> &found, int limit, qint64 elapsedMs)
{
    if (!found) {
        setStatus(tr("The search failed: %1").arg(found.error().message), true);
        return;
    }
    m_model->setCalls(found.value());
    qCDebug(lcHistory) << "history search:" << found->size() << "calls in" << elapsedMs << "ms";
    if (found->isEmpty())
        setStatus(tr("No calls match."), false);
    else if (found->size() >= limit)
        setStatus(tr("Showing the newest %1 calls: narrow the search to see older ones.")
                      .arg(found->size()),
                  false);
    else
        setStatus(tr("%n call(s)", nullptr, int(found->size())), false);
    if (!found->isEmpty())
        m_results->selectRow(0);
}

void HistoryWindow::openSelected()
{
    const StoredCall *listed = m_model->callAt(m_results->currentIndex().row());
    if (!listed)
        return;
    const auto history = m_storage.history();
    if (!history) {
        setStatus(tr("Call history is unavailable: %1").arg(m_storage.health().detail()), true);
        return;
    }
    const auto call = history->load(listed->key);
    if (!call) {
        setStatus(tr("Cannot open call %1: %2").arg(listed->callId, call.error().message), true);
        return;
    }
    m_recall->setCall(call.value());
    m_recall->setFocus(Qt::OtherFocusReason);
}

void HistoryWindow::audit(const QString &action, const StoredCall &call)
{
    const qint64 seq =
        m_storage.appendAudit(m_actor, action, call.callId,
                              {{QStringLiteral("call_key"), call.key},
                               {QStringLiteral("rang_at"), call.ringingAt.toString(Qt::ISODate)}});
    m_storage.flush(); // reviewing a recording is on record at once
    if (seq == 0)
        setStatus(tr("The %1 of call %2 could not be written to the audit trail.")
                      .arg(action, call.callId),
                  true);
}

void HistoryWindow::chooseExportDir()
{
    const QString dir = QFileDialog::getExistingDirectory(
        this, tr("Export call %1 to").arg(m_recall->call().callId), QDir::homePath());
    if (!dir.isEmpty())
        exportOpenedTo(dir);
}

void HistoryWindow::exportOpenedTo(const QString &dir)
{
    if (!m_recall->hasCall())
        return;
    const StoredCall &call = m_recall->call();
    // Storage exports the newest call with this id: make sure that is the one on screen.
    if (const auto history = m_storage.history()) {
        const auto newest = history->loadLatest(call.callId);
        if (newest && newest->key != call.key) {
            setStatus(tr("Call %1 is not the newest call with this id; only the newest one can "
                         "be exported.")
                          .arg(call.callId),
                      true);
            return;
        }
    }
    QProgressDialog progress(tr("Exporting call %1...").arg(call.callId), QString(), 0, 0, this);
    progress.setWindowModality(Qt::WindowModal);
    progress.setMinimumDuration(0);
    progress.show();
    QApplication::processEvents(QEventLoop::ExcludeUserInputEvents);
    // Storage::exportCall audits the export itself (files and checksums).
    const auto files = m_storage.exportCall(call.callId, dir, m_actor);
    progress.close();
    if (!files) {
        setStatus(tr("Export of call %1 failed: %2").arg(call.callId, files.error().message), true);
        return;
    }
    qint64 bytes = 0;
    for (const ExportedFile &f : files.value())
        bytes += f.bytes;
    setStatus(tr("Exported call %1 to %2: %n file(s), %3 kB.", nullptr, int(files->size()))
                  .arg(call.callId, QDir::toNativeSeparators(dir))
                  .arg(bytes / 1024),
              false);
}

} // namespace dispatch
