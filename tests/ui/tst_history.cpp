// The call history window against a real database recorded through the store and storage:
// search filters from the form, opening a call, bookmarks and the synced transcript, playback
// on the (null-sink) audio device, audit entries for playback and export, F9 from the main
// window and the disk alarm.
#include "../server/storage/historyfixture.h"
#include "audioexitmain.h"
#include "history/callhistorymodel.h"
#include "history/historysearch.h"
#include "history/historywindow.h"
#include "history/recallsource.h"
#include "history/recallview.h"
#include "host/phoneserver.h"
#include "mainwindow.h"
#include "queuedevents.h"
#include "storage/auditchain.h"
#include "theme.h"

#include <QApplication>
#include <QBuffer>
#include <QDir>
#include <QElapsedTimer>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMediaDevices>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStatusBar>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolBar>
#include <QTreeWidget>
#include <QtEndian>

using namespace dispatch;
using namespace dispatch::test;

namespace {

QStringList shownIds(const HistoryWindow &w)
{
    QStringList out;
    for (int r = 0; r < w.model()->rowCount(); ++r)
        out << w.model()->callAt(r)->callId;
    return out;
}

// Audit rows for an action, read through a connection of our own (the console's stays open).
QStringList auditActors(const QString &dataDir, const QString &action)
{
    QStringList actors;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "audit-check");
        db.setDatabaseName(QDir(dataDir).filePath("dispatch.sqlite"));
        db.setConnectOptions("QSQLITE_OPEN_READONLY");
        if (!db.open())
            return {"cannot open"};
        QSqlQuery q(db);
        q.prepare("SELECT actor, call_id FROM audit_log WHERE action = ? ORDER BY seq");
        q.addBindValue(action);
        q.exec();
        while (q.next())
            actors << q.value(0).toString() + "@" + q.value(1).toString();
    }
    QSqlDatabase::removeDatabase("audit-check");
    return actors;
}

} // namespace

class TestHistory : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<HistoryFixture> m_fixture;
    std::unique_ptr<HistoryWindow> m_window;

    // Runs the form's search and waits for its results (searches run on the history thread);
    // a form in error starts none.
    void searchAndWait()
    {
        QSignalSpy done(m_window.get(), &HistoryWindow::searchFinished);
        if (m_window->runSearch())
            QVERIFY(done.wait(5000));
    }

    // Opens med-berlin (the detailed call) by keyboard: select its row, press Enter.
    void openMedBerlin()
    {
        QSignalSpy recentShown(m_window.get(), &HistoryWindow::searchFinished);
        m_window->showRecent();
        QVERIFY(recentShown.wait(5000));
        const int row = shownIds(*m_window).indexOf("med-berlin");
        QVERIFY(row >= 0);
        m_window->results()->setFocus();
        m_window->results()->selectRow(row);
        QTest::keyClick(m_window->results(), Qt::Key_Return);
        QCOMPARE(m_window->recall()->call().callId, QString("med-berlin"));
    }

private Q_SLOTS:
    void initTestCase()
    {
        applyTheme(*qApp, Theme::Dark);
        QVERIFY(m_dir.isValid());
        m_fixture = std::make_unique<HistoryFixture>(m_dir.path());
        QImage frame(64, 48, QImage::Format_RGB32);
        frame.fill(Qt::darkCyan);
        QByteArray jpeg;
        QBuffer buffer(&jpeg);
        buffer.open(QIODevice::WriteOnly);
        QVERIFY(frame.save(&buffer, "JPEG"));
        QString why;
        QVERIFY2(m_fixture->record(&why, jpeg), qPrintable(why));
        // The console started an hour before the newest call: the shift is the last 12 h.
        m_window =
            std::make_unique<HistoryWindow>(m_fixture->storage(), "dispatcher:alice",
                                            m_fixture->now().addSecs(-3600), m_fixture->clock());
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void shiftIsTheLongerOfConsoleUptimeAndTwelveHours()
    {
        const QDateTime now(QDate(2026, 11, 22), QTime(20, 0), Qt::UTC);
        QCOMPARE(HistorySearch::shiftStart(now.addSecs(-3600), now), now.addSecs(-12 * 3600));
        QCOMPARE(HistorySearch::shiftStart(now.addSecs(-14 * 3600), now), now.addSecs(-14 * 3600));
        QCOMPARE(HistorySearch::shiftStart(QDateTime(), now), now.addSecs(-12 * 3600));
    }

    void recentCallsOfTheShift()
    {
        QSignalSpy shown(m_window.get(), &HistoryWindow::searchFinished);
        m_window->showRecent();
        QCOMPARE(m_window->statusText(), QString("Searching...")); // off the UI thread
        QVERIFY(shown.wait(5000));
        // old-berlin rang two days ago: not this shift.
        QCOMPARE(shownIds(*m_window),
                 QStringList({"med-berlin", "no-location", "police-munich", "fire-potsdam"}));
        QCOMPARE(m_window->results()->currentIndex().row(), 0);
        QVERIFY(m_window->statusText().contains("4"));
    }

    void formFiltersIncludeAndExclude()
    {
        HistorySearch *search = m_window->search();
        search->clearFilters();
        search->setRange(HistorySearch::Range::Last7Days);
        searchAndWait();
        QCOMPARE(shownIds(*m_window).size(), 5);

        search->setNear(52.52, 13.405, 2);
        searchAndWait();
        QCOMPARE(shownIds(*m_window), QStringList({"med-berlin", "old-berlin"}));
        search->setNear(52.52, 13.405, 30); // reaches Potsdam
        searchAndWait();
        QCOMPARE(shownIds(*m_window), QStringList({"med-berlin", "fire-potsdam", "old-berlin"}));

        search->clearFilters();
        search->setBox(48, 11, 49, 12);
        searchAndWait();
        QCOMPARE(shownIds(*m_window), QStringList({"police-munich"}));

        search->clearFilters();
        search->setResponseType("fire");
        searchAndWait();
        QCOMPARE(shownIds(*m_window), QStringList({"fire-potsdam"}));

        search->clearFilters();
        search->setMinSeverity(4);
        searchAndWait();
        QCOMPARE(shownIds(*m_window), QStringList({"med-berlin", "old-berlin"}));

        search->clearFilters();
        search->setText("CPR");
        searchAndWait();
        QCOMPARE(shownIds(*m_window), QStringList({"med-berlin"}));
        search->setText("kitchen fire"); // triage summary only
        searchAndWait();
        QCOMPARE(shownIds(*m_window), QStringList({"fire-potsdam"}));

        search->setRange(HistorySearch::Range::ThisShift);
        search->setText("fell down"); // old-berlin matches the text but not the shift
        searchAndWait();
        QCOMPARE(shownIds(*m_window), QStringList());
        QCOMPARE(m_window->statusText(), QString("No calls match."));

        search->setCustomRange(m_fixture->now().addDays(-3), m_fixture->now());
        searchAndWait();
        QCOMPARE(shownIds(*m_window), QStringList({"old-berlin"}));
    }

    void badInputSaysWhatIsWrong()
    {
        HistorySearch *search = m_window->search();
        search->clearFilters();
        search->setRange(HistorySearch::Range::Last7Days);
        searchAndWait();
        const int before = m_window->model()->rowCount();
        const auto edits = search->findChildren<QLineEdit *>();
        QLineEdit *place = nullptr;
        for (QLineEdit *e : edits) {
            if (e->accessibleName().startsWith("Near place"))
                place = e;
        }
        QVERIFY(place);
        place->setText("somewhere nice");
        searchAndWait();
        QVERIFY(m_window->statusText().contains("latitude, longitude"));
        QCOMPARE(m_window->model()->rowCount(), before); // the last good result stays
        place->setText("95, 13");
        searchAndWait();
        QVERIFY(m_window->statusText().contains("not a valid latitude"));
        search->clearFilters();
    }

    void ctrlFFocusesTheSearchText()
    {
        m_window->results()->setFocus();
        QTest::keyClick(m_window.get(), Qt::Key_F, Qt::ControlModifier);
        auto *focused = qobject_cast<QLineEdit *>(QApplication::focusWidget());
        QVERIFY(focused);
        QCOMPARE(focused->accessibleName(), QString("Text"));
    }

    void openingACallLoadsTranscriptTriageAndBookmarks()
    {
        openMedBerlin();
        RecallView *recall = m_window->recall();
        QCOMPARE(recall->transcriptView()->count(), 4);
        QVERIFY(recall->transcriptView()->item(1)->text().contains("he is not breathing"));
        QCOMPARE(recall->triageView()->topLevelItemCount(), 2);
        QVERIFY(recall->triageView()->topLevelItem(1)->text(1).contains("Dispatcher"));
        QVERIFY(recall->triageView()->topLevelItem(1)->text(4).contains("replaced AI: severity 4"));

        QMap<TimelineBar::MarkKind, QStringList> kinds;
        for (const auto &m : recall->timeline()->bookmarks())
            kinds[m.kind] << m.label;
        QCOMPARE(kinds.value(TimelineBar::MarkKind::AiTriage).size(), 1);
        QCOMPARE(kinds.value(TimelineBar::MarkKind::Override).size(), 1);
        QCOMPARE(kinds.value(TimelineBar::MarkKind::Critical).size(), 1);
        QVERIFY(kinds.value(TimelineBar::MarkKind::Critical).first().contains("not breathing"));
        const QString events = kinds.value(TimelineBar::MarkKind::Event).join("|");
        QVERIFY2(events.contains("answered") && events.contains("put on hold") &&
                     events.contains("resumed"),
                 qPrintable(events));
        // The whole call: 6 s rang-to-end, the audio as long.
        QVERIFY(recall->player()->durationMs() >= HistoryFixture::AudioSeconds * 1000 - 50);
        QCOMPARE(recall->currentSegment(), -1);
        // How the dispatcher closed it shows where its end does: the header and the list.
        const auto *header = recall->findChild<QLabel *>("recallHeader");
        QVERIFY(header);
        QVERIFY2(header->text().contains("Disposition: Units dispatched"),
                 qPrintable(header->text()));
        const int row = shownIds(*m_window).indexOf("med-berlin");
        QCOMPARE(
            m_window->results()->model()->index(row, CallHistoryModel::Ended).data().toString(),
            QString("dispatcher ended: Units dispatched"));
    }

    void seekingMovesTheHighlightedSegment()
    {
        RecallView *recall = m_window->recall();
        RecallPlayer *player = recall->player();
        // Segments at 1, 2, 3, 4 s after ringing.
        player->seek(2500);
        QCOMPARE(recall->currentSegment(), 1);
        QCOMPARE(recall->transcriptView()->currentRow(), 1);
        player->seek(4100);
        QCOMPARE(recall->currentSegment(), 3);
        player->seek(500);
        QCOMPARE(recall->currentSegment(), -1);
        // The camera frame follows too (one per second from 1 s on, and it is shown).
        QCOMPARE(recall->currentFrame(), -1);
        player->seek(3500);
        QCOMPARE(recall->currentFrame(), 2);
        auto *frameLabel = recall->findChild<QLabel *>("recallFrame");
        QVERIFY(frameLabel);
        QVERIFY(!frameLabel->pixmap().isNull());
        player->seek(500);
        // Right/Left seek 5 s (clamped to the call).
        m_window->results()->setFocus();
        QTest::keyClick(m_window.get(), Qt::Key_Right);
        QCOMPARE(player->positionMs(), 5500);
        QCOMPARE(recall->currentSegment(), 3);
        QTest::keyClick(m_window.get(), Qt::Key_Left);
        QCOMPARE(player->positionMs(), 500);
        // Clicking a transcript line seeks to it.
        QListWidget *list = recall->transcriptView();
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {},
                          list->visualItemRect(list->item(2)).center());
        QCOMPARE(player->positionMs(), recall->offsetMs(recall->call().transcript.at(2).at));
        QCOMPARE(recall->currentSegment(), 2);
        // Clicking a bookmark seeks to it exactly.
        TimelineBar *bar = recall->timeline();
        TimelineBar::Bookmark critical;
        for (const auto &m : bar->bookmarks()) {
            if (m.kind == TimelineBar::MarkKind::Critical)
                critical = m;
        }
        QTest::mouseClick(bar, Qt::LeftButton, {},
                          QPoint(bar->xForMs(critical.ms) + 2, bar->height() / 2));
        QCOMPARE(player->positionMs(), critical.ms);
        QCOMPARE(bar->position(), critical.ms);
    }

    // The recall stream is the call's time axis: caller from ring, talk-back where it was sent,
    // summed where both speak; each track alone on request. Checked against the WAV files.
    void recallSourceMixesTracksOnTheCallsTimeAxis()
    {
        const StoredCall call = m_window->recall()->call();
        QCOMPARE(call.callId, QString("med-berlin"));
        QMap<QString, QPair<qint64, QByteArray>> tracks; // name -> (start sample, pcm)
        for (const auto &r : call.recordings)
            tracks[r.track] = {call.ringingAt.msecsTo(r.startedAt) * 16,
                               readFile(r.path).mid(WavInfo::HeaderBytes)};
        QVERIFY(tracks.contains("caller") && tracks.contains("talkback"));
        auto sample = [&](const QString &track, qint64 at) -> qint32 {
            const auto &[start, pcm] = tracks.value(track);
            const qint64 i = at - start;
            return i >= 0 && 2 * i + 1 < pcm.size()
                       ? qFromLittleEndian<qint16>(pcm.constData() + 2 * i)
                       : 0;
        };
        RecallSource source;
        source.setCall(call);
        const qint64 samples = source.size() / 2;
        QVERIFY(samples >= 16000 * HistoryFixture::AudioSeconds);
        for (auto mode : {RecallSource::Tracks::Mixed, RecallSource::Tracks::Caller,
                          RecallSource::Tracks::TalkBack}) {
            source.setTracks(mode);
            QVERIFY(source.seek(0));
            const QByteArray all = source.readAll();
            QCOMPARE(all.size(), samples * 2);
            int talkSamples = 0;
            for (qint64 i = 0; i < samples; ++i) {
                const qint32 caller =
                    mode == RecallSource::Tracks::TalkBack ? 0 : sample("caller", i);
                const qint32 talk =
                    mode == RecallSource::Tracks::Caller ? 0 : sample("talkback", i);
                talkSamples += talk != 0 ? 1 : 0;
                const qint32 expected = std::clamp(caller + talk, -32768, 32767);
                if (qFromLittleEndian<qint16>(all.constData() + 2 * i) != expected)
                    QFAIL(qPrintable(QString("sample %1 differs").arg(i)));
            }
            QCOMPARE(talkSamples > 0, mode != RecallSource::Tracks::Caller);
        }
        // Reading from a seek point gives the same bytes as reading through.
        source.setTracks(RecallSource::Tracks::Mixed);
        QVERIFY(source.seek(source.bytesForMs(3000)));
        const QByteArray at3 = source.read(3200);
        QVERIFY(source.seek(0));
        QCOMPARE(at3, source.readAll().mid(source.bytesForMs(3000), 3200));
    }

    void screenshot()
    {
        m_window->recall()->player()->seek(3500);
        m_window->resize(1400, 820);
        QTRY_COMPARE(m_window->size(), QSize(1400, 820));
        QVERIFY(waitForQueuedEvents()); // the layout requests the resize posted
        QDir().mkpath(SCREENSHOT_DIR);
        QVERIFY(m_window->grab().save(SCREENSHOT_DIR "/history.png"));
    }

    void playbackAdvancesAndIsAuditedOnce()
    {
        RecallView *recall = m_window->recall();
        RecallPlayer *player = recall->player();
        player->seek(1000);
        m_window->results()->setFocus();
        QElapsedTimer wall;
        wall.start();
        QTest::keyClick(m_window.get(), Qt::Key_Space);
        QVERIFY(player->isPlaying());
        const bool device = !QMediaDevices::defaultAudioOutput().isNull();
        qInfo("audio device: %s; status: %s",
              qPrintable(QMediaDevices::defaultAudioOutput().description()),
              qPrintable(player->audioStatus()));
        QTRY_VERIFY_WITH_TIMEOUT(player->positionMs() >= 2200, 10000);
        // The position follows what was played, not what was handed to the device.
        qInfo("1200 ms of the call took %lld ms", wall.elapsed());
        QVERIFY2(wall.elapsed() >= 900, qPrintable(QString::number(wall.elapsed())));
        if (device)
            QCOMPARE(player->audioStatus(), QString());
        QVERIFY(recall->currentSegment() >= 1); // the transcript followed
        // Seeking while playing jumps at once and keeps playing from there.
        player->seek(4000);
        QVERIFY(player->positionMs() >= 4000 && player->positionMs() < 4300);
        QCOMPARE(recall->currentSegment(), 3);
        QTRY_VERIFY_WITH_TIMEOUT(player->positionMs() >= 4300, 10000);
        QVERIFY(player->isPlaying());
        QTest::keyClick(m_window.get(), Qt::Key_Space);
        QVERIFY(!player->isPlaying());
        const qint64 paused = player->positionMs();
        QSignalSpy moved(player, &RecallPlayer::positionChanged);
        QVERIFY(waitForQueuedEvents()); // what the device posted while stopping is handled
        QCOMPARE(player->positionMs(), paused);
        QVERIFY(moved.isEmpty());
        QVERIFY(!player->isPlaying());
        // Play again: still one audit entry for this opening.
        QTest::keyClick(m_window.get(), Qt::Key_Space);
        QTest::keyClick(m_window.get(), Qt::Key_Space);
        QCOMPARE(auditActors(m_dir.path(), "playback"),
                 QStringList({"dispatcher:alice@med-berlin"}));
        // It plays to the end and stops there.
        player->seek(player->durationMs() - 300);
        player->play();
        QTRY_VERIFY_WITH_TIMEOUT(!player->isPlaying(), 10000);
        QCOMPARE(player->positionMs(), player->durationMs());
    }

    void silentPlaybackKeepsTheSameClock()
    {
        RecallPlayer *player = m_window->recall()->player();
        player->setAudioEnabled(false);
        player->seek(0);
        player->play();
        QTRY_VERIFY_WITH_TIMEOUT(m_window->recall()->currentSegment() == 0, 3000);
        player->pause();
        QVERIFY(player->positionMs() >= 1000 && player->positionMs() < 3000);
        player->setAudioEnabled(true);
    }

    void exportWritesFilesAndIsAuditedByStorage()
    {
        QTemporaryDir target;
        m_window->exportOpenedTo(target.path());
        QVERIFY2(m_window->statusText().startsWith("Exported call med-berlin"),
                 qPrintable(m_window->statusText()));
        const QStringList files = QDir(target.path()).entryList(QDir::Files);
        QVERIFY2(files.size() >= 2, qPrintable(files.join(",")));
        QVERIFY(files.filter(".json").size() == 1);
        QVERIFY(files.filter(".wav").size() >= 1);
        QCOMPARE(auditActors(m_dir.path(), "export"), QStringList({"dispatcher:alice@med-berlin"}));
        const AuditVerification chain = verifyAuditLog(m_dir.path());
        QVERIFY2(chain.status == AuditVerification::Status::Valid, qPrintable(chain.reason));
        QVERIFY(chain.entries >= 3);
        // A second export into the same place is refused and says so.
        m_window->exportOpenedTo(target.path());
        QVERIFY(m_window->statusText().startsWith("Export of call med-berlin failed"));
    }

    void diskAlarmShowsAndClears()
    {
        CallStore store;
        MetricsRegistry metrics;
        PhoneServer server(PhoneServerConfig{}, store, metrics);
        MainWindow window(store, server);
        window.setStorage(&m_fixture->storage());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.storageAlarmText(), QString());
        m_fixture->setFreeBytes(10 * 1024 * 1024);
        m_fixture->storage().health().check();
        QVERIFY2(window.storageAlarmText().startsWith("Disk space is low"),
                 qPrintable(window.storageAlarmText()));
        QVERIFY(window.findChild<QToolBar *>("storageAlarm")->isVisible());
        // Readable, not only visible: the banner text spans the window (it had no width).
        const QLabel *text = window.findChild<QToolBar *>("storageAlarm")->findChild<QLabel *>();
        QTRY_VERIFY2(text->width() > window.width() / 2,
                     qPrintable(QString::number(text->width())));
        m_fixture->setFreeBytes(qint64(1) << 40);
        m_fixture->storage().health().check();
        QCOMPARE(window.storageAlarmText(), QString());
        QVERIFY(!window.findChild<QToolBar *>("storageAlarm")->isVisible());
    }

    void f9OpensTheShiftsCallsFromTheMainWindow()
    {
        QTemporaryDir dir;
        // Recorded just now, so "this shift" on the real clock holds them.
        HistoryFixture recent(dir.path(),
                              QDateTime::currentDateTimeUtc().addDays(-2).addSecs(-600));
        QString why;
        QVERIFY2(recent.record(&why), qPrintable(why));
        CallStore store;
        MetricsRegistry metrics;
        PhoneServer server(PhoneServerConfig{}, store, metrics);
        MainWindow window(store, server);
        window.setStorage(&recent.storage());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(!window.historyWindow());
        QTest::keyClick(&window, Qt::Key_F9);
        QVERIFY(window.historyWindow());
        QVERIFY(window.historyWindow()->isVisible());
        QTRY_COMPARE(shownIds(*window.historyWindow()),
                     QStringList({"med-berlin", "no-location", "police-munich", "fire-potsdam"}));
        window.historyWindow()->close();
    }

    // A full page of results is laid out from a bounded number of rows: fitting the columns
    // to all of them ran on the UI thread at every search, ~10 ms for 200 calls, which under
    // back-to-back searches delayed the calls' audio (bench_uistall --history).
    void aFullPageOfResultsIsSizedFromTheFirstRowsOnly()
    {
        QTemporaryDir dir;
        HistoryFixture busy(dir.path());
        QString why;
        QVERIFY2(busy.record(&why), qPrintable(why));
        const int limit = HistoryQuery{}.limit;
        for (int i = 0; i < limit + 20; ++i) {
            const QString id = QString("busy-%1").arg(i);
            QCOMPARE(busy.store().addCall(id, GeoLocation{52.5, 13.4, 10.0, busy.now()}),
                     CallStore::Result::Ok);
            QCOMPARE(busy.store().answer(id, Actor::dispatcher("alice")), CallStore::Result::Ok);
            busy.advance(30'000);
            QCOMPARE(busy.store().end(id, EndReason::CallerHungUp), CallStore::Result::Ok);
        }
        QVERIFY(busy.storage().flush());

        // Counts which rows the view measures to fit its columns.
        class MeasuredRows : public QStyledItemDelegate
        {
        public:
            using QStyledItemDelegate::QStyledItemDelegate;
            QSize sizeHint(const QStyleOptionViewItem &option,
                           const QModelIndex &index) const override
            {
                lastRow = std::max(lastRow, index.row());
                return QStyledItemDelegate::sizeHint(option, index);
            }
            mutable int lastRow = -1;
        };
        MeasuredRows measured;
        HistoryWindow window(busy.storage(), "dispatcher:alice", busy.now(), busy.clock());
        window.results()->setItemDelegate(&measured);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.search()->clearFilters();
        window.search()->setCustomRange(busy.now().addDays(-3), busy.now().addSecs(3600));
        QSignalSpy done(&window, &HistoryWindow::searchFinished);
        QVERIFY(window.runSearch());
        QVERIFY(done.wait(5000));
        QCOMPARE(window.model()->rowCount(), limit);
        QTRY_VERIFY(measured.lastRow >= 0); // the columns were fitted
        QCoreApplication::processEvents();  // and laid out, painted
        QVERIFY2(measured.lastRow < HistoryWindow::RowsSizedForColumns,
                 qPrintable(QString("measured up to row %1").arg(measured.lastRow)));
    }

    void f9WithoutStorageSaysWhy()
    {
        CallStore store;
        MetricsRegistry metrics;
        PhoneServer server(PhoneServerConfig{}, store, metrics);
        MainWindow window(store, server);
        window.setStorage(nullptr);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.storageAlarmText().contains("NOT recorded"));
        QTest::keyClick(&window, Qt::Key_F9);
        QVERIFY(!window.historyWindow());
        QVERIFY2(window.statusBar()->currentMessage().startsWith("Call history is unavailable"),
                 qPrintable(window.statusBar()->currentMessage()));
    }
};

DISPATCH_UI_TEST_MAIN(TestHistory)
#include "tst_history.moc"
