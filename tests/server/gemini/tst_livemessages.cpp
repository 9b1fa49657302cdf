#include "gemini/livemessages.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace dispatch;
using namespace dispatch::gemini;

namespace {

QJsonObject parse(const QByteArray &bytes)
{
    const QJsonDocument doc = QJsonDocument::fromJson(bytes);
    return doc.object();
}

QString quoted(const QString &s)
{
    return QLatin1Char('\'') + s + QLatin1Char('\'');
}

// A compact, deterministic description of a decoded message, so tables stay readable.
QString describe(const ServerMessage &m)
{
    QStringList out;
    if (m.setupComplete)
        out << (m.sessionId.isEmpty() ? QString("setup") : "setup:" + m.sessionId);
    if (m.serverContent) {
        const ServerContent &c = *m.serverContent;
        QStringList items;
        for (const Part &p : c.parts) {
            if (p.inlineData)
                items << QString("data:%1@%2:%3")
                             .arg(p.inlineData->mimeType)
                             .arg(p.inlineData->sampleRate)
                             .arg(QString::fromLatin1(p.inlineData->data.toHex()));
            if (!p.text.isEmpty() || !p.inlineData)
                items << (p.thought ? "thought:" : "text:") + quoted(p.text);
        }
        if (c.inputTranscription)
            items << "in:" + quoted(c.inputTranscription->text) +
                         (c.inputTranscription->finished ? "!" : "") +
                         (c.inputTranscription->languageCode.isEmpty()
                              ? QString()
                              : "@" + c.inputTranscription->languageCode);
        if (c.interimInputTranscription)
            items << "interim:" + quoted(c.interimInputTranscription->text);
        if (c.outputTranscription)
            items << "out:" + quoted(c.outputTranscription->text) +
                         (c.outputTranscription->finished ? "!" : "");
        if (c.generationComplete)
            items << "generationComplete";
        if (c.turnComplete)
            items << "turnComplete";
        if (c.interrupted)
            items << "interrupted";
        if (c.waitingForInput)
            items << "waiting";
        if (!c.turnCompleteReason.isEmpty())
            items << "reason:" + c.turnCompleteReason;
        if (c.interactionStatus == InteractionStatus::InProgress)
            items << "working";
        else if (c.interactionStatus == InteractionStatus::Idle)
            items << "idle";
        out << "content[" + items.join(' ') + "]";
    }
    if (m.toolCall) {
        QStringList calls;
        for (const auto &f : m.toolCall->functionCalls)
            calls << f.id + ":" + f.name + ":" +
                         QString::fromUtf8(QJsonDocument(f.args).toJson(QJsonDocument::Compact));
        out << "tool[" + calls.join(' ') + "]";
    }
    if (m.toolCallCancellation)
        out << "cancel[" + m.toolCallCancellation->join(',') + "]";
    if (m.goAwayTimeLeftMs)
        out << QString("goAway:%1").arg(*m.goAwayTimeLeftMs);
    if (m.sessionResumptionUpdate)
        out << QString("resume:%1:%2")
                   .arg(m.sessionResumptionUpdate->newHandle)
                   .arg(m.sessionResumptionUpdate->resumable ? "yes" : "no");
    if (m.usageMetadata) {
        const auto &u = *m.usageMetadata;
        out << QString("usage:%1/%2/%3/%4/%5/%6")
                   .arg(u.promptTokenCount)
                   .arg(u.responseTokenCount)
                   .arg(u.totalTokenCount)
                   .arg(u.thoughtsTokenCount)
                   .arg(u.cachedContentTokenCount)
                   .arg(u.toolUsePromptTokenCount);
    }
    if (m.error)
        out << QString("error:%1:%2:%3").arg(m.error->code).arg(m.error->status, m.error->message);
    if (m.voiceActivity)
        out << QString("vad:%1@%2").arg(m.voiceActivity->type).arg(m.voiceActivity->audioOffsetMs);
    if (!m.vadSignal.isEmpty())
        out << "vadSignal:" + m.vadSignal;
    if (!m.unknownKeys.isEmpty()) {
        QStringList keys = m.unknownKeys;
        keys.sort();
        out << "unknown:" + keys.join(',');
    }
    if (!m.ignoredFields.isEmpty()) {
        QStringList paths;
        for (const QString &f : m.ignoredFields)
            paths << f.section('\'', 1, 1); // "field 'PATH' why": the path
        out << "ignored:" + paths.join(',');
    }
    return out.join(" | ");
}

} // namespace

class TestLiveMessages : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void setupCarriesEveryConfiguredField()
    {
        LiveSetup s;
        s.model = "gemini-2.5-flash-native-audio-preview-12-2025";
        s.systemInstruction = "You triage emergency calls.";
        s.functionDeclarations = {
            {"report_triage", "Report", QJsonObject{{"type", "OBJECT"}}, true},
            {"flag_critical", "Flag", QJsonObject{}, false}};
        s.resumptionHandle = "h-42";
        s.contextWindowCompression.enabled = true;
        s.temperature = 0.5;
        s.voiceName = "Puck";
        const auto bytes = encodeSetup(s);
        QVERIFY(bytes.ok());
        const QJsonObject root = parse(bytes.value());
        QCOMPARE(root.keys(), QStringList{"setup"});
        const QJsonObject setup = root["setup"].toObject();
        QCOMPARE(setup["model"].toString(), "models/gemini-2.5-flash-native-audio-preview-12-2025");
        const QJsonObject gen = setup["generationConfig"].toObject();
        QCOMPARE(gen["responseModalities"].toArray(), QJsonArray{"AUDIO"});
        QCOMPARE(gen["temperature"].toDouble(), 0.5);
        QCOMPARE(gen["speechConfig"]["voiceConfig"]["prebuiltVoiceConfig"]["voiceName"].toString(),
                 "Puck");
        // Transcription configs live at setup level, never inside generationConfig (§9.2).
        QVERIFY(!gen.contains("inputAudioTranscription"));
        QVERIFY(!gen.contains("outputAudioTranscription"));
        QCOMPARE(setup["inputAudioTranscription"].toObject(), QJsonObject{});
        QCOMPARE(setup["outputAudioTranscription"].toObject(), QJsonObject{});
        QCOMPARE(setup["systemInstruction"]["parts"][0]["text"].toString(),
                 "You triage emergency calls.");
        const QJsonArray decls = setup["tools"][0]["functionDeclarations"].toArray();
        QCOMPARE(decls.size(), 2);
        QCOMPARE(decls[0]["name"].toString(), "report_triage");
        QCOMPARE(decls[0]["behavior"].toString(), "NON_BLOCKING");
        QCOMPARE(decls[0]["parameters"]["type"].toString(), "OBJECT");
        QVERIFY(!decls[1].toObject().contains("behavior"));
        QVERIFY(!decls[1].toObject().contains("parameters"));
        QCOMPARE(setup["sessionResumption"].toObject(), (QJsonObject{{"handle", "h-42"}}));
        QCOMPARE(setup["contextWindowCompression"].toObject(),
                 (QJsonObject{{"slidingWindow", QJsonObject{}}}));
        QVERIFY(!setup.contains("realtimeInputConfig"));
        QVERIFY(!setup.contains("responseModalities"));
    }

    void setupOptionalShapes()
    {
        LiveSetup s;
        s.model = "models/gemini-live-2.5-flash-preview";
        s.responseModality = ResponseModality::Text;
        s.inputAudioTranscription = false;
        s.outputAudioTranscription = false;
        s.sessionResumption = true;
        s.contextWindowCompression = {true, 25600, 12800};
        RealtimeInputConfig rt;
        rt.automaticActivityDetection = false;
        rt.endOfSpeechSensitivity = Sensitivity::Low;
        rt.silenceDurationMs = 500;
        rt.activityHandling = ActivityHandling::NoInterruption;
        s.realtimeInputConfig = rt;
        const QJsonObject setup = parse(encodeSetup(s).value())["setup"].toObject();
        QCOMPARE(setup["model"].toString(), "models/gemini-live-2.5-flash-preview");
        QCOMPARE(setup["generationConfig"]["responseModalities"].toArray(), QJsonArray{"TEXT"});
        QVERIFY(!setup.contains("inputAudioTranscription"));
        QVERIFY(!setup.contains("tools"));
        QCOMPARE(setup["sessionResumption"].toObject(), QJsonObject{});
        QCOMPARE(setup["contextWindowCompression"]["triggerTokens"].toInteger(), 25600);
        QCOMPARE(setup["contextWindowCompression"]["slidingWindow"]["targetTokens"].toInteger(),
                 12800);
        const QJsonObject aad =
            setup["realtimeInputConfig"]["automaticActivityDetection"].toObject();
        QCOMPARE(aad["disabled"].toBool(), true);
        QCOMPARE(aad["endOfSpeechSensitivity"].toString(), "END_SENSITIVITY_LOW");
        QVERIFY(!aad.contains("startOfSpeechSensitivity"));
        QCOMPARE(aad["silenceDurationMs"].toInt(), 500);
        QCOMPARE(setup["realtimeInputConfig"]["activityHandling"].toString(), "NO_INTERRUPTION");
    }

    void setupMergesExtraFields()
    {
        LiveSetup s;
        s.model = "gemini-3.1-flash-live-preview";
        s.extraGenerationConfig = {{"thinkingConfig", QJsonObject{{"thinkingLevel", "LOW"}}}};
        s.extraSetupFields = {
            {"historyConfig", QJsonObject{{"initialHistoryInClientContent", true}}}};
        const QJsonObject setup = parse(encodeSetup(s).value())["setup"].toObject();
        QCOMPARE(setup["generationConfig"]["thinkingConfig"]["thinkingLevel"].toString(), "LOW");
        QCOMPARE(setup["historyConfig"]["initialHistoryInClientContent"].toBool(), true);
        QCOMPARE(setup["generationConfig"]["responseModalities"].toArray(), QJsonArray{"AUDIO"});
    }

    void setupRefusesBadModelAndNames()
    {
        LiveSetup s;
        QCOMPARE(encodeSetup(s).error().code, "bad_setup");
        s.model = "models/with space";
        QVERIFY(!encodeSetup(s).ok());
        s.model = "gemini-x";
        s.functionDeclarations = {{"bad name!", "", {}, false}};
        QVERIFY(!encodeSetup(s).ok());
    }

    void vertexSetupAndResumptionIndex()
    {
        LiveSetup s;
        s.model = "projects/p-1/locations/us-central1/publishers/google/models/gemini-3.8-live";
        s.transparentResumption = true;
        s.resumptionHandle = "h1";
        const auto json = encodeSetup(s);
        QVERIFY2(json.ok(), qPrintable(json.error().message));
        const QJsonObject setup =
            QJsonDocument::fromJson(json.value()).object()["setup"].toObject();
        QCOMPARE(setup["model"].toString(), s.model); // kept whole, no "models/" prefix
        QCOMPARE(setup["sessionResumption"]["transparent"].toBool(), true);
        QCOMPARE(setup["sessionResumption"]["handle"].toString(), "h1");
        s.transparentResumption = false; // the Developer API: never sent
        const QJsonObject plain =
            QJsonDocument::fromJson(encodeSetup(s).value()).object()["setup"].toObject();
        QVERIFY(!plain["sessionResumption"].toObject().contains("transparent"));
        s.model = "projects/p/locations/l/publishers/other/models/x";
        QVERIFY(!encodeSetup(s).ok());

        // int64 as proto3 JSON writes it (a string), or a number; absent stays absent.
        for (const QByteArray &index : {QByteArray("\"42\""), QByteArray("42")}) {
            const auto m = decodeServerMessage(
                R"({"sessionResumptionUpdate":{"newHandle":"h","resumable":true,)"
                R"("lastConsumedClientMessageIndex":)" +
                    index + "}}",
                1 << 20);
            QVERIFY(m.ok());
            QCOMPARE(m->sessionResumptionUpdate->lastConsumedClientMessageIndex.value_or(-1), 42);
        }
        const auto none = decodeServerMessage(
            R"({"sessionResumptionUpdate":{"newHandle":"h","resumable":true}})", 1 << 20);
        QVERIFY(!none->sessionResumptionUpdate->lastConsumedClientMessageIndex.has_value());
    }

    // The audio and video messages are written by hand (the hot path); they must be byte for
    // byte what the JSON writer makes of the same object, for every size of chunk.
    void realtimeMediaIsExactlyWhatTheJsonWriterWrites()
    {
        const auto reference = [](const QString &kind, const QString &mime, const QByteArray &d) {
            const QJsonObject blob{{"mimeType", mime}, {"data", QString::fromLatin1(d.toBase64())}};
            return QJsonDocument(QJsonObject{{"realtimeInput", QJsonObject{{kind, blob}}}})
                .toJson(QJsonDocument::Compact);
        };
        for (const qsizetype size : {0, 1, 2, 3, 4, 5, 320, 640, 641, 642, 6400}) {
            QByteArray pcm(size, Qt::Uninitialized);
            for (qsizetype i = 0; i < size; ++i)
                pcm[i] = char((i * 151 + 7) & 0xff); // every byte value, '+' and '/' in base64
            QCOMPARE(encodeRealtimeAudio(pcm), reference("audio", "audio/pcm;rate=16000", pcm));
            QCOMPARE(encodeRealtimeAudio(pcm, 24000),
                     reference("audio", "audio/pcm;rate=24000", pcm));
            QCOMPARE(encodeRealtimeVideo(pcm), reference("video", "image/jpeg", pcm));
        }
    }

    void realtimeInputHasExactlyOneField()
    {
        const QByteArray pcm("\x01\x02\x03\xff", 4);
        const QJsonObject audio = parse(encodeRealtimeAudio(pcm));
        QCOMPARE(audio.keys(), QStringList{"realtimeInput"});
        QCOMPARE(audio["realtimeInput"].toObject().keys(), QStringList{"audio"});
        QCOMPARE(audio["realtimeInput"]["audio"]["mimeType"].toString(), "audio/pcm;rate=16000");
        QCOMPARE(
            QByteArray::fromBase64(audio["realtimeInput"]["audio"]["data"].toString().toLatin1()),
            pcm);

        const QJsonObject video = parse(encodeRealtimeVideo(QByteArray("\xff\xd8jpeg")));
        QCOMPARE(video["realtimeInput"].toObject().keys(), QStringList{"video"});
        QCOMPARE(video["realtimeInput"]["video"]["mimeType"].toString(), "image/jpeg");

        const QJsonObject text = parse(encodeRealtimeText("He is not breathing"));
        QCOMPARE(text["realtimeInput"]["text"].toString(), "He is not breathing");
        const QJsonObject end = parse(encodeAudioStreamEnd());
        QCOMPARE(end["realtimeInput"]["audioStreamEnd"].toBool(), true);
        QCOMPARE(parse(encodeActivityStart())["realtimeInput"].toObject().keys(),
                 QStringList{"activityStart"});
        QCOMPARE(parse(encodeActivityEnd())["realtimeInput"].toObject().keys(),
                 QStringList{"activityEnd"});
    }

    void toolResponseEchoesIds()
    {
        const auto bytes = encodeToolResponse(
            {{"fc-1", "report_triage", QJsonObject{{"output", QJsonObject{{"ok", true}}}}, {}},
             {"fc-2", "flag_critical", QJsonObject{{"output", "noted"}},
              FunctionResponseScheduling::Silent}});
        QVERIFY(bytes.ok());
        const QJsonObject root = parse(bytes.value());
        QCOMPARE(root.keys(), QStringList{"toolResponse"});
        const QJsonArray list = root["toolResponse"]["functionResponses"].toArray();
        QCOMPARE(list.size(), 2);
        QCOMPARE(list[0]["id"].toString(), "fc-1");
        QCOMPARE(list[0]["name"].toString(), "report_triage");
        QCOMPARE(list[0]["response"]["output"]["ok"].toBool(), true);
        QVERIFY(!list[0].toObject().contains("scheduling"));
        QCOMPARE(list[1]["scheduling"].toString(), "SILENT");

        QVERIFY(!encodeToolResponse({}).ok());
        QVERIFY(!encodeToolResponse({{"", "x", {}, {}}}).ok());
    }

    void decode_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("errorCode");
        QTest::addColumn<QString>("description");
        const auto ok = [](const char *name, const QByteArray &bytes, const QString &d) {
            QTest::newRow(name) << bytes << QString() << d;
        };
        const auto bad = [](const char *name, const QByteArray &bytes, const char *code) {
            QTest::newRow(name) << bytes << QString(code) << QString();
        };

        // The bifrost PR #4988 trace against the real API (§5.2).
        ok("bifrost setupComplete", R"({"setupComplete": {}})", "setup");
        ok("bifrost audio+transcript",
           R"({"serverContent": {"modelTurn": {"parts": [{"inlineData": {"mimeType": "audio/pcm;rate=24000", "data": "AAEC/w=="}}]},
               "outputTranscription": {"text": "Hello there, friend."}}})",
           "content[data:audio/pcm;rate=24000@24000:000102ff out:'Hello there, friend.']");
        ok("bifrost generationComplete", R"({"serverContent": {"generationComplete": true}})",
           "content[generationComplete]");
        ok("bifrost turnComplete+usage",
           R"({"serverContent": {"turnComplete": true}, "usageMetadata": {"promptTokenCount": 147, "responseTokenCount": 36, "totalTokenCount": 183}})",
           "content[turnComplete] | usage:147/36/183/0/0/0");
        ok("bifrost resumable without handle",
           R"({"sessionResumptionUpdate": {"resumable": true}})", "resume::yes");

        ok("resumption with handle",
           R"({"sessionResumptionUpdate": {"newHandle": "Cg0xMjM0NTY3ODkwMTIz", "resumable": true}})",
           "resume:Cg0xMjM0NTY3ODkwMTIz:yes");
        ok("resumption while generating",
           R"({"sessionResumptionUpdate": {"newHandle": "", "resumable": false}})", "resume::no");
        ok("goAway 50s", R"({"goAway": {"timeLeft": "50s"}})", "goAway:50000");
        ok("goAway 9.5s", R"({"goAway": {"timeLeft": "9.5s"}})", "goAway:9500");
        ok("goAway fractional nanos", R"({"goAway": {"timeLeft": "0.000999999s"}})", "goAway:1");
        ok("goAway without timeLeft", R"({"goAway": {}})", "goAway:-1");
        ok("toolCall two calls",
           R"({"toolCall": {"functionCalls": [
                {"id": "function-call-1", "name": "report_triage", "args": {"severity": 5, "can_speak": false}},
                {"id": "function-call-2", "name": "flag_critical", "args": {"reason": "not breathing"}}]}})",
           R"(tool[function-call-1:report_triage:{"can_speak":false,"severity":5} function-call-2:flag_critical:{"reason":"not breathing"}])");
        ok("toolCall without args",
           R"({"toolCall": {"functionCalls": [{"id": "a", "name": "ping"}]}})", "tool[a:ping:{}]");
        ok("toolCallCancellation", R"({"toolCallCancellation": {"ids": ["a", "b"]}})",
           "cancel[a,b]");
        ok("interrupted turn", R"({"serverContent": {"interrupted": true}})",
           "content[interrupted]");
        ok("input transcription finished",
           R"({"serverContent": {"inputTranscription": {"text": "my dad collapsed", "finished": true}}})",
           "content[in:'my dad collapsed'!]");
        ok("text and thought parts",
           R"({"serverContent": {"modelTurn": {"role": "model", "parts": [{"text": "hmm", "thought": true}, {"text": "Stay calm."}]}}})",
           "content[thought:'hmm' text:'Stay calm.']");
        ok("bare audio/pcm defaults to 24 kHz",
           R"({"serverContent": {"modelTurn": {"parts": [{"inlineData": {"mimeType": "audio/pcm", "data": "AAA="}}]}}})",
           "content[data:audio/pcm@24000:0000]");
        ok("rate 16000 parsed",
           R"({"serverContent": {"modelTurn": {"parts": [{"inlineData": {"mimeType": "audio/pcm; rate=16000", "data": ""}}]}}})",
           "content[data:audio/pcm; rate=16000@16000:]");
        ok("url-safe unpadded base64",
           R"({"serverContent": {"modelTurn": {"parts": [{"inlineData": {"mimeType": "audio/pcm;rate=24000", "data": "-_8"}}]}}})",
           "content[data:audio/pcm;rate=24000@24000:fbff]");
        ok("3.1 bundle: parts + both transcriptions + turn end + usage",
           R"({"serverContent": {"modelTurn": {"parts": [{"inlineData": {"mimeType": "audio/pcm;rate=24000", "data": "AQI="}}, {"inlineData": {"mimeType": "audio/pcm;rate=24000", "data": "AwQ="}}]},
                "inputTranscription": {"text": "help"}, "outputTranscription": {"text": "I am here"},
                "generationComplete": true, "turnComplete": true, "turnCompleteReason": "NEED_MORE_INPUT", "waitingForInput": true},
               "usageMetadata": {"promptTokenCount": "10", "candidatesTokenCount": 4, "totalTokenCount": 14, "thoughtsTokenCount": 2, "cachedContentTokenCount": 1, "toolUsePromptTokenCount": 3}})",
           "content[data:audio/pcm;rate=24000@24000:0102 data:audio/pcm;rate=24000@24000:0304 "
           "in:'help' out:'I am here' generationComplete turnComplete waiting "
           "reason:NEED_MORE_INPUT] | "
           "usage:10/4/14/2/1/3");
        ok("usage only (3.1 empty serverContent)",
           R"({"serverContent": {}, "usageMetadata": {"totalTokenCount": 9}})",
           "content[] | usage:0/0/9/0/0/0");
        ok("in-band error object",
           R"({"error": {"code": 429, "message": "Resource has been exhausted", "status": "RESOURCE_EXHAUSTED"}})",
           "error:429:RESOURCE_EXHAUSTED:Resource has been exhausted");
        ok("in-band error string", R"({"error": "RESOURCE_EXHAUSTED"})",
           "error:0::RESOURCE_EXHAUSTED");
        ok("unknown fields ignored",
           R"({"serverContent": {"turnComplete": true, "groundingMetadata": {}, "brandNew": 1},
               "voiceActivity": {"type": "ACTIVITY_START"}, "futureThing": [1]})",
           "content[turnComplete] | vad:@-1 | unknown:futureThing");
        // The 2026-12 messages (gemini-3.8-live and the extended-thinking model).
        ok("3.8 setupComplete with a session id", R"({"setupComplete": {"sessionId": "s-42"}})",
           "setup:s-42");
        ok("3.8 interaction status, interim transcript, language",
           R"({"serverContent": {"interactionStatus": "IN_PROGRESS",
                "interimInputTranscription": {"text": "my husb"},
                "inputTranscription": {"text": "my husband", "finished": true, "languageCode": "en-US",
                                       "speakerLabel": "1", "words": [{"word": "my"}], "startOffset": "0.5s"}}})",
           "content[in:'my husband'!@en-US interim:'my husb' working]");
        ok("deprecated REQUIRES_ACTION reads as idle",
           R"({"serverContent": {"interactionStatus": "REQUIRES_ACTION", "turnComplete": true,
                "turnCompleteReason": "MALFORMED_FUNCTION_CALL"}})",
           "content[turnComplete reason:MALFORMED_FUNCTION_CALL idle]");
        ok("server voice activity",
           R"({"voiceActivity": {"voiceActivityType": "ACTIVITY_END", "audioOffset": "2.5s"}})",
           "vad:ACTIVITY_END@2500");
        ok("server VAD signal",
           R"({"voiceActivityDetectionSignal": {"vadSignalType": "VAD_SIGNAL_TYPE_EOS"}})",
           "vadSignal:VAD_SIGNAL_TYPE_EOS");

        // Oddly typed known fields: the field is ignored (and named), the rest kept.
        ok("serverContent is a string",
           R"({"serverContent": "yes", "usageMetadata": {"totalTokenCount": 3}})",
           "usage:0/0/3/0/0/0 | ignored:serverContent");
        ok("turnComplete is a string, transcript kept",
           R"({"serverContent": {"turnComplete": "true", "inputTranscription": {"text": "help"}}})",
           "content[in:'help'] | ignored:serverContent.turnComplete");
        ok("parts not an array",
           R"({"serverContent": {"modelTurn": {"parts": {}}, "turnComplete": true}})",
           "content[turnComplete] | ignored:serverContent.modelTurn.parts");
        ok("part not an object", R"({"serverContent": {"modelTurn": {"parts": [1]}}})",
           "content[] | ignored:serverContent.modelTurn.parts[0]");
        ok("bad base64 drops that part only",
           R"({"serverContent": {"modelTurn": {"parts": [{"inlineData": {"mimeType": "audio/pcm", "data": "!!!*"}}, {"text": "ok"}]}}})",
           "content[text:'ok'] | ignored:serverContent.modelTurn.parts[0].inlineData.data");
        ok("base64 with one dangling char",
           R"({"serverContent": {"modelTurn": {"parts": [{"inlineData": {"mimeType": "audio/pcm", "data": "AAAAA"}}]}}})",
           "content[] | ignored:serverContent.modelTurn.parts[0].inlineData.data");
        ok("tool id is a number: the call is kept",
           R"({"toolCall": {"functionCalls": [{"id": 5, "name": "report_triage"}]}})",
           "tool[:report_triage:{}] | ignored:toolCall.functionCalls[0].id");
        ok("tool without name: kept, to be answered with an error",
           R"({"toolCall": {"functionCalls": [{"id": "x"}]}})",
           "tool[x::{}] | ignored:toolCall.functionCalls[0].name");
        ok("tool args is an array",
           R"({"toolCall": {"functionCalls": [{"id": "x", "name": "n", "args": []}]}})",
           "tool[x:n:{}] | ignored:toolCall.functionCalls[0].args");
        ok("cancellation ids not strings", R"({"toolCallCancellation": {"ids": [1, "b"]}})",
           "cancel[b] | ignored:toolCallCancellation.ids");
        ok("goAway timeLeft bool", R"({"goAway": {"timeLeft": true}})",
           "goAway:-1 | ignored:goAway.timeLeft");
        ok("goAway timeLeft garbage", R"({"goAway": {"timeLeft": "soon"}})",
           "goAway:-1 | ignored:goAway.timeLeft");
        ok("goAway negative", R"({"goAway": {"timeLeft": "-5s"}})",
           "goAway:-1 | ignored:goAway.timeLeft");
        ok("usage negative", R"({"usageMetadata": {"totalTokenCount": -1}})",
           "usage:0/0/0/0/0/0 | ignored:usageMetadata.totalTokenCount");
        ok("usage fractional",
           R"({"usageMetadata": {"totalTokenCount": 1.5, "promptTokenCount": 2}})",
           "usage:2/0/0/0/0/0 | ignored:usageMetadata.totalTokenCount");
        ok("handle is a number",
           R"({"sessionResumptionUpdate": {"newHandle": 7, "resumable": true}})",
           "resume::yes | ignored:sessionResumptionUpdate.newHandle");
        ok("error is a number", R"({"error": 7})", "error:0:: | ignored:error");
        ok("unknown part kind skipped",
           R"({"serverContent": {"modelTurn": {"parts": [{"executableCode": {"code": "x"}}, {"text": "a"}]}}})",
           "content[text:'a']");
        ok("empty object", "{}", "");
        ok("nulls are absent", R"({"serverContent": {"turnComplete": null}, "goAway": null})",
           "content[]");

        // Hostile input.
        bad("invalid JSON", R"({"serverContent": )", "bad_json");
        bad("not an object", "[1,2,3]", "bad_json");
        bad("a string", R"("setupComplete")", "bad_json");
        bad("empty frame", "", "bad_json");
        bad("binary garbage", QByteArray("\xff\xfe\x00\x01", 4), "bad_json");
        bad("huge frame", "{\"x\":\"" + QByteArray(70 * 1024, 'a') + "\"}", "too_large");
    }

    void decode()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, errorCode);
        QFETCH(QString, description);
        const auto m = decodeServerMessage(bytes, 64 * 1024);
        if (!errorCode.isEmpty()) {
            QVERIFY2(!m.ok(), qPrintable(describe(m.value())));
            QCOMPARE(m.error().code, errorCode);
            QVERIFY(!m.error().message.isEmpty());
            return;
        }
        QVERIFY2(m.ok(), qPrintable(m.error().message));
        QCOMPARE(describe(m.value()), description);
    }

    void ignoredFieldsSayWhy()
    {
        const auto m = decodeServerMessage(R"({"toolCall": {"functionCalls": [{"id": 5}]}})", 1000);
        QVERIFY(m.ok());
        QCOMPARE(m.value().ignoredFields.size(), 2); // id mistyped, name missing
        QVERIFY2(m.value().ignoredFields.at(0).contains("'toolCall.functionCalls[0].id'"),
                 qPrintable(m.value().ignoredFields.join(QStringLiteral("; "))));
        QVERIFY(m.value().ignoredFields.at(0).contains("string"));
    }

    void duration_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("ms");
        QTest::newRow("50s") << "50s" << qint64(50000);
        QTest::newRow("9.5s") << "9.5s" << qint64(9500);
        QTest::newRow("0.25s") << "0.25s" << qint64(250);
        QTest::newRow("rounds") << "1.0006s" << qint64(1001);
        QTest::newRow("no suffix") << "3" << qint64(3000);
        QTest::newRow("zero") << "0s" << qint64(0);
        QTest::newRow("garbage") << "abc" << qint64(-1);
        QTest::newRow("negative") << "-1s" << qint64(-1);
        QTest::newRow("empty") << "" << qint64(-1);
        QTest::newRow("minutes") << "1m" << qint64(-1);
    }
    void duration()
    {
        QFETCH(QString, text);
        QFETCH(qint64, ms);
        QCOMPARE(parseDurationMs(text).value_or(-1), ms);
    }

    void formatDurationRoundTrips()
    {
        QCOMPARE(formatDuration(50000), "50s");
        QCOMPARE(formatDuration(9500), "9.500s");
        QCOMPARE(formatDuration(200), "0.200s");
        for (qint64 ms : {0, 1, 999, 1000, 9500, 50000})
            QCOMPARE(parseDurationMs(formatDuration(ms)).value_or(-1), ms);
    }

    void sampleRates_data()
    {
        QTest::addColumn<QString>("mime");
        QTest::addColumn<int>("rate");
        QTest::newRow("24k") << "audio/pcm;rate=24000" << 24000;
        QTest::newRow("16k spaced") << "audio/pcm; rate=16000" << 16000;
        QTest::newRow("upper") << "audio/L16;RATE=8000" << 8000;
        QTest::newRow("bare") << "audio/pcm" << 24000;
        QTest::newRow("junk rate") << "audio/pcm;rate=fast" << 24000;
        QTest::newRow("absurd rate") << "audio/pcm;rate=5" << 24000;
    }
    void sampleRates()
    {
        QFETCH(QString, mime);
        QFETCH(int, rate);
        QCOMPARE(sampleRateFromMimeType(mime), rate);
    }

    void classify_data()
    {
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<bool>("afterGoAway");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("category");
        const auto row = [](const char *name, int code, const QString &reason, bool goAway,
                            const char *kind, const char *category) {
            QTest::newRow(name) << code << reason << goAway << QString(kind) << QString(category);
        };
        row("1007 invalid argument", 1007, "Request contains an invalid argument.", false, "final",
            "badRequest");
        row("1007 voices", 1007, "Cannot extract voices from a non-audio request.", false, "final",
            "badRequest");
        row("1007 two modalities (truncated)", 1007,
            "At most one response modality can be specified in the setup request. To enable "
            "simultaneous transcription and audio output,",
            false, "final", "badRequest");
        row("1007 unknown field", 1007,
            "Invalid JSON payload received. Unknown name \"inputAudioTranscription\" at "
            "'setup.generation_config': Cannot find field.",
            false, "final", "badRequest");
        row("1007 bad key", 1007, "API key not valid. Please pass a valid API key.", false, "final",
            "apiKey");
        row("1007 expired key", 1007, "API key expired. Please renew the API key.", false, "final",
            "apiKey");
        row("1008 not found", 1008,
            "models/gemini-2.0-flash-live-001 is not found for API version v1beta, or is not "
            "supported for bidiGenerateContent",
            false, "final", "modelNotFound");
        row("1008 not found even after goAway", 1008,
            "models/x is not found for API version v1beta", true, "final", "modelNotFound");
        row("1008 not implemented", 1008, "Operation is not implemented, or supported, or enabled.",
            false, "retryable", "notImplemented");
        row("1008 after goAway", 1008, "", true, "retryable", "goAwayExpired");
        row("1008 unexplained", 1008, "", false, "retryable", "unknown");
        row("1011 quota", 1011,
            "You exceeded your current quota, please check your plan and billing details.", false,
            "final", "quota");
        row("1011 exhausted", 1011, "Resource has been exhausted (e.g. check quota).", false,
            "final", "quota");
        row("1011 internal", 1011, "Internal error encountered.", false, "retryable", "internal");
        row("1011 deadline", 1011, "Deadline expired before operation could complete.", false,
            "retryable", "internal");
        row("1011 old prelude", 1011,
            "Request trace id: 434a1f, [ORIGINAL ERROR] RPC::DEADLINE_EXCEEDED:", false,
            "retryable", "internal");
        row("1006 drop", 1006, "", false, "retryable", "networkDrop");
        row("1000 cancelled", 1000, "The operation was cancelled.", false, "retryable",
            "cancelled");
        row("1009 too big", 1009, "", false, "retryable", "messageTooBig");
        row("1002 protocol", 1002, "", false, "final", "badRequest");
        row("4000 private", 4000, "whatever", false, "retryable", "unknown");
    }
    void classify()
    {
        QFETCH(int, code);
        QFETCH(QString, reason);
        QFETCH(bool, afterGoAway);
        QFETCH(QString, kind);
        QFETCH(QString, category);
        const CloseClassification c = classifyClose(code, reason, CloseContext{afterGoAway});
        QCOMPARE(toString(c.kind), kind);
        QCOMPARE(toString(c.category), category);
        QVERIFY(!c.humanReadable.isEmpty());
    }

    void handshakeStatuses()
    {
        QCOMPARE(toString(classifyHandshakeStatus(429).category), "quota");
        QCOMPARE(toString(classifyHandshakeStatus(429).kind), "final");
        QCOMPARE(toString(classifyHandshakeStatus(401).category), "apiKey");
        QCOMPARE(toString(classifyHandshakeStatus(400).kind), "final");
        QCOMPARE(toString(classifyHandshakeStatus(503).kind), "retryable");
    }

    void base64Lenient()
    {
        QCOMPARE(decodeBase64Lenient("AAEC/w==").value(), QByteArray("\x00\x01\x02\xff", 4));
        QCOMPARE(decodeBase64Lenient("AAEC_w").value(), QByteArray("\x00\x01\x02\xff", 4));
        QCOMPARE(decodeBase64Lenient("AA EC\n/w==").value(), QByteArray("\x00\x01\x02\xff", 4));
        QCOMPARE(decodeBase64Lenient("").value(), QByteArray());
        QVERIFY(!decodeBase64Lenient("A").has_value());
        QVERIFY(!decodeBase64Lenient("AB$D").has_value());
        QVERIFY(!decodeBase64Lenient(QString::fromUtf8("ÄÖÜ=")).has_value());
    }
};

QTEST_GUILESS_MAIN(TestLiveMessages)
#include "tst_livemessages.moc"
