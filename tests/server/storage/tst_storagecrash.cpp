// kill -9 during a call, on the real binary: the console is started as a child process, a
// phone streams audio and types over the real WebSocket protocol, the console is SIGKILLed,
// restarted on the same data dir, and the call must be there, marked interrupted, with its
// transcript, timeline, a playable recording of what was received, and a valid audit chain.
#include "storage/auditchain.h"
#include "storage/database.h"
#include "storagetesthelpers.h"
#include "testclient.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace dispatch;
using namespace dispatch::test;

class TestStorageCrash : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_config;
    QTemporaryDir m_dir;

    QUrl start(QProcess &process, const QStringList &extra = {})
    {
        process.setProgram(QStringLiteral(DISPATCH_CONSOLE_BIN));
        process.setArguments(QStringList{"--headless", "--listen", "127.0.0.1:0", "--data-dir",
                                         m_dir.path(), "--dashboard-token", "t", "--min-free-mb",
                                         "1"} +
                             extra);
        process.start();
        if (!process.waitForStarted(5000))
            return {};
        QByteArray out;
        QRegularExpressionMatch m;
        (void)QTest::qWaitFor(
            [&] {
                out += process.readAllStandardOutput();
                m = QRegularExpression("listening on (\\S+)").match(QString::fromUtf8(out));
                return m.hasMatch() || process.state() == QProcess::NotRunning;
            },
            10'000);
        return m.hasMatch() ? QUrl(m.captured(1)) : QUrl();
    }

    QByteArray get(const QUrl &url)
    {
        QNetworkAccessManager nam;
        QNetworkRequest request(url);
        request.setRawHeader("Authorization", "Bearer t");
        QNetworkReply *reply = nam.get(request);
        (void)QTest::qWaitFor([reply] { return reply->isFinished(); }, 5000);
        const QByteArray body = reply->readAll();
        reply->deleteLater();
        return body;
    }

    double metric(const QUrl &base, const QByteArray &line)
    {
        const QByteArray text = get(base.resolved(QUrl("/metrics")));
        for (const QByteArray &l : text.split('\n')) {
            if (l.startsWith(QByteArray(line + ' ')))
                return l.mid(line.size() + 1).toDouble();
        }
        return -1;
    }

    int verify(QByteArray *out)
    {
        QProcess p;
        p.start(QStringLiteral(DISPATCH_CONSOLE_BIN),
                {"--verify-audit", "--data-dir", m_dir.path()});
        if (!p.waitForFinished(10'000))
            return -1;
        *out = p.readAllStandardOutput() + p.readAllStandardError();
        return p.exitCode();
    }

private Q_SLOTS:
    void initTestCase()
    {
        // The consoles started here keep their default audit key (and its anchors) in a
        // throw-away config dir, never in the real one of whoever runs the tests.
        QVERIFY(m_config.isValid());
        qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_config.path()));
    }

    void killDuringACall()
    {
        QProcess console;
        const QUrl base = start(console, {"--auto-answer"});
        QVERIFY(base.isValid());

        TestClient signal;
        TestClient audio;
        signal.open(wsUrl(base, "/ws/signal", "call_id=killed-1&role=caller"));
        audio.open(wsUrl(base, "/ws/audio", "call_id=killed-1"));
        QVERIFY(signal.waitConnected() && audio.waitConnected());
        signal.sendJson(
            {{"type", "call_initiated"}, {"location", QJsonObject{{"lat", 51.5}, {"lng", -0.12}}}});
        QVERIFY(!signal.waitForType("dispatcher_ready").isEmpty());
        signal.sendJson({{"type", "caller_text"}, {"text", "my father collapsed"}});
        signal.sendJson({{"type", "caller_text"}, {"text", "he is not breathing"}});

        // 3 s of audio in 20 ms chunks whose samples encode their position.
        QByteArray sent;
        for (int i = 0; i < 150; ++i) {
            const QByteArray chunk = testPcm(320, i);
            sent += chunk;
            audio.socket().sendBinaryMessage(chunk);
        }
        // Wait until the console has received all of it, until the transcript lines are
        // committed (they are batched, up to 250 ms), and until the database says the recording
        // holds the audio (written by the storage thread once a flush), then kill it without
        // warning: what the database says is on disk must be there.
        QTRY_COMPARE_WITH_TIMEOUT(metric(base, "dispatch_bytes_received_total{channel=\"audio\"}"),
                                  double(sent.size()), 10'000);
        const QString dbPath = QDir(m_dir.path()).filePath(Database::fileName());
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                Database db(dbPath);
                return db.open(Database::Mode::ReadOnly) &&
                       queryValue(db.handle(), "SELECT COUNT(*) FROM transcript_segments")
                               .toInt() == 2 &&
                       queryValue(db.handle(),
                                  "SELECT bytes FROM recordings WHERE track = 'caller'")
                               .toInt() == sent.size();
            }(),
            10'000);
        ::kill(static_cast<pid_t>(console.processId()), SIGKILL);
        QVERIFY(console.waitForFinished(5000));
        QCOMPARE(console.exitStatus(), QProcess::CrashExit);

        // What the kill left on disk, before any repair.
        QString wavPath;
        {
            Database db(dbPath);
            QVERIFY(db.open(Database::Mode::ReadOnly));
            QCOMPARE(queryValue(db.handle(), "SELECT state FROM calls").toString(),
                     QString("answered"));
            wavPath = QDir(m_dir.path())
                          .filePath(queryValue(db.handle(), "SELECT path FROM recordings WHERE "
                                                            "track = 'caller'")
                                        .toString());
        }
        const qint64 onDisk = QFileInfo(wavPath).size() - 44;
        const qint64 lost = sent.size() - onDisk;
        const auto before = parseWavHeader(readFile(wavPath), QFileInfo(wavPath).size());
        QVERIFY(before);
        qInfo("kill -9: %lld bytes of audio received, %lld on disk, %lld lost (%.0f ms); the "
              "header already covered %u bytes",
              qint64(sent.size()), onDisk, lost, lost / 32.0, before->declaredDataBytes);
        QVERIFY2(lost <= 32000, "more than a second of audio was lost");

        // Restart on the same data dir: the call is recovered as interrupted.
        QProcess again;
        const QUrl base2 = start(again);
        QVERIFY(base2.isValid());
        const QJsonObject health = QJsonDocument::fromJson(get(base2.resolved(QUrl("/health"))))
                                       .object()
                                       .value("checks")
                                       .toObject()
                                       .value("storage")
                                       .toObject();
        QVERIFY2(health.value("ok").toBool(), qPrintable(health.value("detail").toString()));
        ::kill(static_cast<pid_t>(again.processId()), SIGTERM);
        QVERIFY(again.waitForFinished(10'000));
        QCOMPARE(again.exitCode(), 0);
        const QByteArray log = again.readAllStandardError();
        QVERIFY2(log.contains("interrupted call"), log.constData());

        {
            Database db(dbPath);
            QVERIFY(db.open(Database::Mode::ReadOnly));
            QSqlDatabase &h = db.handle();
            QCOMPARE(queryValue(h, "SELECT state || ' ' || end_reason || ' ' || interrupted "
                                   "FROM calls WHERE call_id = 'killed-1'")
                         .toString(),
                     QString("ended interrupted 1"));
            QCOMPARE(queryValue(h, "SELECT group_concat(text, ' / ') FROM transcript_segments")
                         .toString(),
                     QString("my father collapsed / he is not breathing"));
            QCOMPARE(queryValue(h, "SELECT group_concat(kind || ':' || coalesce(detail, ''), ' ') "
                                   "FROM timeline_events")
                         .toString(),
                     // The console triages the typed text offline, so the triage events
                     // are on the record too.
                     QString("rang: answered:auto-answer caller_text: first_triage:local "
                             "caller_text: critical_flagged:person not breathing "
                             "ended:interrupted"));
            QCOMPARE(queryValue(h, "SELECT bytes FROM recordings WHERE track = 'caller'").toInt(),
                     onDisk);
            // The triage history survives the kill: the first report and the escalation.
            QCOMPARE(queryValue(h, "SELECT COUNT(*) FROM triage_reports").toInt(), 2);
        }
        // A playable recording: a finalized header over exactly the audio received, in order.
        const QByteArray wav = readFile(wavPath);
        const auto info = parseWavHeader(wav, wav.size());
        QVERIFY(info && info->finalized());
        QCOMPARE(info->sampleRate, 16000);
        QCOMPARE(wav.mid(44), sent.left(onDisk));

        // The audit chain is intact and says what happened.
        QByteArray out;
        QCOMPARE(verify(&out), 0);
        QVERIFY2(out.contains("audit trail intact"), out.constData());
        {
            Database db(dbPath);
            QVERIFY(db.open(Database::Mode::ReadOnly));
            QCOMPARE(queryValue(db.handle(), "SELECT group_concat(actor || ' ' || action, ', ') "
                                             "FROM audit_log WHERE call_id = 'killed-1'")
                         .toString(),
                     QString("system:auto-answer answer, ai:local triage_report, "
                             "ai:local triage_report, ai critical_flag, system call_interrupted"));
        }
    }

    void tamperingIsNamed()
    {
        // Uses the audit trail killDuringACall left behind.
        const QString dbPath = QDir(m_dir.path()).filePath(Database::fileName());
        {
            Database db(dbPath);
            QVERIFY(db.open());
            QSqlQuery q(db.handle());
            // The table refuses edits; an attacker with the file drops the guard first.
            QVERIFY(!q.exec("UPDATE audit_log SET actor = 'nobody' WHERE seq = 2"));
            QVERIFY(q.exec("DROP TRIGGER audit_log_no_update"));
            QVERIFY(q.exec("UPDATE audit_log SET actor = 'nobody' WHERE seq = 2"));
        }
        QByteArray out;
        QCOMPARE(verify(&out), 1);
        QVERIFY2(out.contains("BROKEN at entry 2"), out.constData());
    }

    void verifyCannotOpen()
    {
        QTemporaryDir empty;
        QProcess p;
        p.start(QStringLiteral(DISPATCH_CONSOLE_BIN),
                {"--verify-audit", "--data-dir", empty.path()});
        QVERIFY(p.waitForFinished(10'000));
        QCOMPARE(p.exitCode(), 2);
        QVERIFY(p.readAllStandardError().contains("cannot read the audit trail"));
    }
};

QTEST_GUILESS_MAIN(TestStorageCrash)
#include "tst_storagecrash.moc"
