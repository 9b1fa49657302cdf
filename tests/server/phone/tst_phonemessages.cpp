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

    void dashboard_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("kind");
        QTest::newRow("answer") << j("{'type':'dispatcher_joined','call_id':'abc-1'}")
                                << "AnswerCall";
        QTest::newRow("end") << j("{'type':'call_ended','call_id':'abc'}") << "EndCall";
        QTest::newRow("hold") << j("{'type':'hold_call','call_id':'abc'}") << "HoldCall";
        QTest::newRow("resume") << j("{'type':'resume_call','call_id':'abc'}") << "ResumeCall";
        QTest::newRow("sdp answer")
            << j("{'type':'answer','call_id':'abc','sdp':'v=0'}") << "DashboardRelay";
        QTest::newRow("ping") << j("{'type':'ping'}") << "DashboardPing";
        QTest::newRow("take over") << j("{'type':'take_over','call_id':'abc'}") << "TakeOver";
        QTest::newRow("transfer") << j("{'type':'transfer_call','call_id':'abc','to':'bob'}")
                                  << "TransferCall";
        QTest::newRow("transfer to nobody")
            << j("{'type':'transfer_call','call_id':'abc'}") << "bad_field";
        QTest::newRow("transfer to a path")
            << j("{'type':'transfer_call','call_id':'abc','to':'../bob'}") << "bad_field";
        QTest::newRow("transfer to a number")
            << j("{'type':'transfer_call','call_id':'abc','to':7}") << "bad_field";
        QTest::newRow("get call") << j("{'type':'get_call','call_id':'abc'}") << "GetCall";
        QTest::newRow("subscribe")
            << j("{'type':'subscribe_media','call_id':'abc'}") << "SubscribeMedia";
        QTest::newRow("accept location")
            << j("{'type':'accept_location','call_id':'abc'}") << "AcceptLocation";
        QTest::newRow("override")
            << j("{'type':'override_triage','call_id':'abc','report':{'severity':4}}")
            << "OverrideTriage";
        QTest::newRow("override without report")
            << j("{'type':'override_triage','call_id':'abc'}") << "bad_field";
        QTest::newRow("override with an empty report")
            << j("{'type':'override_triage','call_id':'abc','report':{}}") << "bad_report";
        QTest::newRow("no call id") << j("{'type':'dispatcher_joined'}") << "bad_field";
        QTest::newRow("call id with slash")
            << j("{'type':'dispatcher_joined','call_id':'../x'}") << "bad_field";
        QTest::newRow("call id number") << j("{'type':'call_ended','call_id':7}") << "bad_field";
        QTest::newRow("relay of a non-WebRTC type")
            << j("{'type':'dispatcher_ready','call_id':'abc'}") << "unknown_type";
        QTest::newRow("relay of a made-up type")
            << j("{'type':'whatever','call_id':'abc'}") << "unknown_type";
    }
    void dashboard()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, kind);
        const auto parsed = parseDashboardMessage(json);
        if (!parsed) {
            QCOMPARE(parsed.error().code, kind);
            return;
        }
        const char *names[] = {"AnswerCall",     "EndCall",        "HoldCall",
                               "ResumeCall",     "TakeOver",       "TransferCall",
                               "GetCall",        "SubscribeMedia", "AcceptLocation",
                               "OverrideTriage", "DashboardPing",  "DashboardRelay"};
        static_assert(std::size(names) == std::variant_size_v<DashboardMessage>);
        QCOMPARE(QString::fromLatin1(names[parsed.value().index()]), kind);
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
        // Whatever the caller's message says, the envelope's own type and call id win.
        const QJsonObject envelope =
            QJsonDocument::fromJson(
                encodeCallerSignal("c1", {{"type", "offer"}, {"call_id", "other"}}))
                .object();
        QCOMPARE(envelope.value("type").toString(), QString("caller_signal"));
        QCOMPARE(envelope.value("call_id").toString(), QString("c1"));
        QCOMPARE(envelope.value("signal").toObject().value("call_id").toString(), QString("other"));
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

    void outgoingShapesMatchTheSeed()
    {
        Call call;
        call.id = "c1";
        call.location = GeoLocation{1.5, 2.5, std::nullopt, now};
        call.ringingSince = now;
        const auto incoming = QJsonDocument::fromJson(encodeIncomingCall(call)).object();
        QCOMPARE(incoming.value("type").toString(), QString("incoming_call"));
        QCOMPARE(incoming.value("location").toObject().value("lng").toDouble(), 2.5);
        TriageReport r;
        r.severity = 5;
        r.responseType = ResponseType::Medical;
        const auto triage = QJsonDocument::fromJson(encodeTriageUpdate("c1", r)).object();
        QCOMPARE(triage.value("report").toObject().value("severity").toInt(), 5);
        QCOMPARE(triage.value("report").toObject().value("recommended_response_type").toString(),
                 QString("medical"));
        const auto flag = QJsonDocument::fromJson(encodeCriticalFlag("c1", "no pulse", 5)).object();
        QCOMPARE(flag.value("reason").toString(), QString("no pulse"));
        const auto ended =
            QJsonDocument::fromJson(encodeCallEnded("c1", EndReason::CallerLost)).object();
        QCOMPARE(ended.value("reason").toString(), QString("caller_lost"));
    }

    void aiLinkAndPrearrivalShapes()
    {
        Call call;
        call.id = "c1";
        call.ringingSince = now;
        QVERIFY(!callSnapshot(call, now).contains("ai_link")); // before triage started
        call.triageLink = {TriageLinkState::Resuming,
                           TriageLinkReason::LocalMeanwhile,
                           TriageFailureKind::None,
                           {},
                           "connection lost"};
        const QJsonObject snapshot = callSnapshot(call, now);
        QCOMPARE(snapshot["ai_link"].toObject(),
                 (QJsonObject{{"state", "resuming"},
                              {"reason", "local_meanwhile"},
                              {"technical", "connection lost"},
                              {"detail", "connection lost; local triage meanwhile"}}));
        const auto link = QJsonDocument::fromJson(encodeAiLink("c1", call.triageLink)).object();
        QCOMPARE(link, (QJsonObject{{"type", "ai_link"},
                                    {"call_id", "c1"},
                                    {"state", "resuming"},
                                    {"reason", "local_meanwhile"},
                                    {"technical", "connection lost"},
                                    {"detail", "connection lost; local triage meanwhile"}}));
        // Codes with numbers; `detail` stays the English an older console shows.
        const TriageLink waiting{TriageLinkState::Local,
                                 TriageLinkReason::WaitingForSlot,
                                 TriageFailureKind::None,
                                 {3, 3},
                                 QString()};
        QCOMPARE(triageLinkToJson(waiting),
                 (QJsonObject{{"state", "local"},
                              {"reason", "waiting_for_slot"},
                              {"args", QJsonArray{3, 3}},
                              {"detail", "waiting for an AI slot (3 of 3 in use)"}}));
        const TriageLink breaker{TriageLinkState::Local,
                                 TriageLinkReason::BreakerOpen,
                                 TriageFailureKind::Quota,
                                 {120},
                                 QString()};
        QCOMPARE(triageLinkToJson(breaker),
                 (QJsonObject{{"state", "local"},
                              {"reason", "breaker_open"},
                              {"failure", "quota"},
                              {"args", QJsonArray{120}},
                              {"detail", "AI unavailable (quota exceeded); retrying in 120 s"}}));
        const auto offer =
            QJsonDocument::fromJson(encodePrearrival("c1", {now, "cpr", "CPR", {"a", "b"}}))
                .object();
        QCOMPARE(offer["type"].toString(), QString("prearrival"));
        QCOMPARE(offer["topic"].toString(), QString("cpr"));
        QCOMPARE(offer["steps"].toArray(), (QJsonArray{"a", "b"}));
        QCOMPARE(offer["at"].toString(), now.toString(Qt::ISODateWithMs));
    }
};

QTEST_GUILESS_MAIN(TestPhoneMessages)
#include "tst_phonemessages.moc"
