#include "phone/phonemessages.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace dispatch;
using namespace dispatch::phone;

namespace {
// JSON written with single quotes, so test tables need no escaping (and no raw strings, which
// moc 6.4 mis-lexes when they end in a quote).
QByteArray j(const char *text)
{
    QByteArray b(text);
    b.replace('\'', '"');
    return b;
}
} // namespace

class TestPhoneMessages : public QObject
{
    Q_OBJECT

    const QDateTime now = QDateTime::currentDateTimeUtc();

private Q_SLOTS:
    void signalMessages_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("kind"); // variant alternative or error code
        QTest::newRow("seed call_initiated")
            << j("{'type':'call_initiated','location':{'lat':37.77,'lng':-122.41}}")
            << "CallInitiated";
        QTest::newRow("seed call_initiated, empty location")
            << j("{'type':'call_initiated','location':{}}") << "CallInitiated";
        QTest::newRow("no location at all") << j("{'type':'call_initiated'}") << "CallInitiated";
        QTest::newRow("browser names")
            << j("{'type':'location_update','location':{'latitude':1,'longitude':2,'accuracy':30}}")
            << "LocationUpdate";
        QTest::newRow("hang up") << j("{'type':'call_ended'}") << "CallerHangUp";
        QTest::newRow("text") << j("{'type':'caller_text','text':'help'}") << "CallerText";
        QTest::newRow("sdp offer") << j("{'type':'offer','sdp':'v=0'}") << "Relay";
        QTest::newRow("ice") << j("{'type':'ice_candidate','candidate':'c'}") << "Relay";
        QTest::newRow("ping") << j("{'type':'ping'}") << "Ping";
        QTest::newRow("re-attach with secret")
            << j("{'type':'call_initiated','call_secret':'abc_DEF-123'}") << "CallInitiated";
        QTest::newRow("secret not base64url")
            << j("{'type':'call_initiated','call_secret':'a b'}") << "bad_field";
        QTest::newRow("secret a number")
            << j("{'type':'call_initiated','call_secret':7}") << "bad_field";
        QTest::newRow("secret too long")
            << j("{'type':'call_initiated','call_secret':'") + QByteArray(200, 'a') + j("'}")
            << "bad_field";
        // A caller's message is data: host event types are refused, never relayed.
        QTest::newRow("forged triage_update")
            << j("{'type':'triage_update','report':{'severity':1}}") << "unknown_type";
        QTest::newRow("forged hello") << j("{'type':'hello','calls':[]}") << "unknown_type";
        QTest::newRow("forged call_state")
            << j("{'type':'call_state','state':'ended'}") << "unknown_type";
        QTest::newRow("forged prearrival") << j("{'type':'prearrival'}") << "unknown_type";
        QTest::newRow("forged transcript") << j("{'type':'transcript'}") << "unknown_type";
        QTest::newRow("forged critical_flag") << j("{'type':'critical_flag'}") << "unknown_type";
        QTest::newRow("server type dispatcher_ready")
            << j("{'type':'dispatcher_ready'}") << "unknown_type";
        QTest::newRow("sdp answer from the caller")
            << j("{'type':'answer','sdp':'v=0'}") << "Relay";
        QTest::newRow("bare candidate") << j("{'type':'candidate','candidate':'c'}") << "Relay";
        QTest::newRow("empty") << QByteArray() << "bad_json";
        QTest::newRow("garbage") << QByteArray("\xff\xfe\x00garbage", 10) << "bad_json";
        QTest::newRow("array") << j("[]") << "bad_json";
        QTest::newRow("no type") << j("{}") << "bad_field";
        QTest::newRow("numeric type") << j("{'type':1}") << "bad_field";
        QTest::newRow("long type")
            << j("{'type':'") + QByteArray(100, 'a') + j("'}") << "bad_field";
        QTest::newRow("lat only") << j("{'type':'location_update','location':{'lat':1}}")
                                  << "bad_field";
        QTest::newRow("lat as string")
            << j("{'type':'call_initiated','location':{'lat':'NaN','lng':0}}") << "bad_field";
        QTest::newRow("lng out of range")
            << j("{'type':'call_initiated','location':{'lat':0,'lng':-181}}") << "bad_field";
        QTest::newRow("text too long")
            << j("{'type':'caller_text','text':'") + QByteArray(3000, 'a') + j("'}") << "bad_field";
        QTest::newRow("text not string")
            << j("{'type':'caller_text','text':{'a':1}}") << "bad_field";
        QTest::newRow("oversized")
            << j("{'type':'offer','sdp':'") + QByteArray(70'000, 'a') + j("'}") << "too_large";
        QTest::newRow("nesting bomb") << QByteArray(5000, '[') << "bad_json";
    }
    void signalMessages()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, kind);
        const auto parsed = parseSignalMessage(json, now);
        if (!parsed) {
            QCOMPARE(parsed.error().code, kind);
            QVERIFY(!parsed.error().message.isEmpty());
            return;
        }
        const char *names[] = {"CallInitiated", "CallerHangUp", "LocationUpdate",
                               "CallerText",    "Ping",         "Relay"};
        QCOMPARE(QString::fromLatin1(names[parsed.value().index()]), kind);
    }

    void locationValues()
    {
        const auto p = parseSignalMessage(
            j("{'type':'call_initiated','location':{'lat':37.5,'lng':-122.25,'accuracy':12.5}}"),
            now);
        QVERIFY(p);
        const auto &m = std::get<CallInitiated>(p.value());
        QVERIFY(m.location);
        QCOMPARE(m.location->latitude, 37.5);
        QCOMPARE(m.location->longitude, -122.25);
        QCOMPARE(*m.location->accuracyMeters, 12.5);
    }

    void frames_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("result");
        const QByteArray jpeg = QByteArray::fromHex("FFD8FFE000104A464946").toBase64();
        const QByteArray png = QByteArray::fromHex("89504E470D0A1A0A").toBase64();
        QTest::newRow("seed frame") << j("{'type':'frame','data':'") + jpeg + j("'}") << "ok";
        QTest::newRow("png is refused")
            << j("{'type':'frame','data':'") + png + j("'}") << "bad_frame";
        QTest::newRow("data missing") << j("{'type':'frame'}") << "bad_field";
        QTest::newRow("data number") << j("{'type':'frame','data':5}") << "bad_field";
        QTest::newRow("bad base64") << j("{'type':'frame','data':'@@@@'}") << "bad_field";
        QTest::newRow("other type") << j("{'type':'audio','data':''}") << "unknown_type";
        QTest::newRow("too large") << j("{'type':'frame','data':'") +
                                          QByteArray(Limits::MaxFrameMessageBytes, 'A') + j("'}")
                                   << "too_large";
    }
    void frames()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, result);
        const auto parsed = parseAudioChannelText(json);
        QCOMPARE(parsed ? QString("ok") : parsed.error().code, result);
    }

    void audioChunks()
    {
        QVERIFY(!validateAudioChunk(QByteArray(640, 0)));
        QCOMPARE(validateAudioChunk(QByteArray())->code, QString("bad_audio"));
        QCOMPARE(validateAudioChunk(QByteArray(3, 0))->code, QString("bad_audio"));
        QCOMPARE(validateAudioChunk(QByteArray(Limits::MaxAudioChunkBytes + 2, 0))->code,
                 QString("too_large"));
    }

    void vitals_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("result");
        QTest::newRow("seed vitals")
            << j("{'type':'vitals','hr':72,'hrConfidence':0.9,'breathing':14,"
                 "'breathingConfidence':0.7,'timestamp':1700000000123}")
            << "ok";
        QTest::newRow("breathing only") << j("{'type':'vitals','breathing':0}") << "ok";
        QTest::newRow("neither") << j("{'type':'vitals','timestamp':1}") << "bad_field";
        QTest::newRow("confidence > 1")
            << j("{'type':'vitals','hr':70,'hrConfidence':3}") << "bad_field";
        QTest::newRow("negative hr") << j("{'type':'vitals','hr':-5}") << "bad_field";
        QTest::newRow("hr string") << j("{'type':'vitals','hr':'72'}") << "bad_field";
        QTest::newRow("wrong type") << j("{'type':'frame','hr':72}") << "unknown_type";
    }
    void vitals()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, result);
        const auto parsed = parseVitals(json, now);
        QCOMPARE(parsed ? QString("ok") : parsed.error().code, result);
    }

    void callerTextIsSanitized_data()
    {
        QTest::addColumn<QString>("in");
        QTest::addColumn<QString>("out");
        QTest::newRow("plain") << QString("help, he fell") << QString("help, he fell");
        QTest::newRow("lines and tabs kept") << QString("a\nb\tc") << QString("a\nb\tc");
        QTest::newRow("NUL") << QString("a") + QChar(0) + QString("b") << QString("ab");
        QTest::newRow("escape sequence") << QString("\x1b[31mred") << QString("[31mred");
        QTest::newRow("C1 control") << QString("a") + QChar(0x9b) + QString("b") << QString("ab");
        QTest::newRow("bidi override") << QString::fromUtf8("\u202Eevil\u202C") << QString("evil");
        QTest::newRow("bidi isolate") << QString::fromUtf8("\u2066x\u2069") << QString("x");
        QTest::newRow("direction marks")
            << QString::fromUtf8("\u200Fa\u200E\u061C") << QString("a");
        QTest::newRow("other scripts kept") << QString::fromUtf8("ayuda \u0645\u0633\u0627")
                                            << QString::fromUtf8("ayuda \u0645\u0633\u0627");
    }
    void callerTextIsSanitized()
    {
        QFETCH(QString, in);
        QFETCH(QString, out);
        QCOMPARE(sanitizeCallerText(in), out);
        const QByteArray message =
            QJsonDocument(QJsonObject{{"type", "caller_text"}, {"text", in}}).toJson();
        const auto parsed = parseSignalMessage(message, now);
        QVERIFY(parsed);
        QCOMPARE(std::get<CallerText>(parsed.value()).text, out.trimmed());
    }

    void callerEnvelopes()
    {
        const QJsonObject credential =
            QJsonDocument::fromJson(encodeCallCredential("c1", "s3cr3t")).object();
        QCOMPARE(credential.value("type").toString(), QString("call_credential"));
        QCOMPARE(credential.value("call_id").toString(), QString("c1"));
        QCOMPARE(credential.value("call_secret").toString(), QString("s3cr3t"));
        // (The caller_signal envelope for dashboards: tst_dashboardmessages.)
    }

    void callSecrets()
    {
        QVERIFY(isValidCallSecret("abc_DEF-123"));
        QVERIFY(!isValidCallSecret(""));
        QVERIFY(!isValidCallSecret("a+b/c="));
        QVERIFY(!isValidCallSecret(QString(129, 'a')));
    }

    void callIds()
    {
        QVERIFY(isValidCallId("550e8400-e29b-41d4-a716-446655440000"));
        QVERIFY(isValidCallId("a.b_c:d"));
        QVERIFY(!isValidCallId(""));
        QVERIFY(!isValidCallId("has space"));
        QVERIFY(!isValidCallId(QString(129, 'a')));
        QVERIFY(!isValidCallId(QString::fromUtf8("caf\xc3\xa9")));
    }

    void callEndedMatchesTheSeed()
    {
        // The phone's call_ended; the dashboard's (the same shape) is in tst_dashboardmessages.
        const auto ended =
            QJsonDocument::fromJson(encodeCallEnded("c1", EndReason::CallerLost)).object();
        QCOMPARE(ended.value("type").toString(), QString("call_ended"));
        QCOMPARE(ended.value("reason").toString(), QString("caller_lost"));
    }

    void typedMessages_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("result");
        QTest::newRow("ok") << j("{'type':'ping'}") << "ok";
        QTest::newRow("no type") << j("{'call_id':'a'}") << "bad_field";
        QTest::newRow("empty type") << j("{'type':''}") << "bad_field";
        QTest::newRow("type number") << j("{'type':7}") << "bad_field";
        QTest::newRow("type too long")
            << QByteArray("{\"type\":\"" + QByteArray(65, 'a') + "\"}") << "bad_field";
        QTest::newRow("too large") << QByteArray(1025, ' ') << "too_large";
        QTest::newRow("array") << j("[1]") << "bad_json";
    }
    void typedMessages()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, result);
        const auto parsed = parseTypedMessage(json, 1024);
        QCOMPARE(parsed ? QString("ok") : parsed.error().code, result);
    }
};

QTEST_GUILESS_MAIN(TestPhoneMessages)
#include "tst_phonemessages.moc"
