#include "triage/triagesetup.h"

#include "gemini/modelcapabilities.h"
#include "gemini/toolregistry.h"

namespace dispatch::gemini {

QString defaultTriageModel()
{
    return currentStableModel();
}

QString triageSystemInstruction(bool textReports)
{
    QString s = QStringLiteral(
        "You are a silent triage assistant listening to a live emergency call (911/112) between "
        "a caller and a human dispatcher. You never talk to the caller or to the dispatcher: "
        "nobody hears you, so do not speak, greet, ask questions or acknowledge anything. Your "
        "only outputs are tool calls.\n"
        "- Call report_triage as soon as you understand the situation, and again whenever your "
        "assessment changes (severity, response type, the caller's emotional state, whether the "
        "caller can speak freely, or an important new fact). Do not repeat an unchanged "
        "assessment.\n"
        "- Call flag_critical immediately, without waiting for more details, when you hear a "
        "threat to life: not breathing, unconscious, severe bleeding, choking, a weapon, fire "
        "with people inside, an intruder, or a caller in danger.\n"
        "- You may call get_prearrival_instructions for the situation; the dispatcher sees the "
        "approved instructions. Never improvise medical advice.\n"
        "- Text input starting with [vitals] or [caller typed] is machine context from the "
        "caller's phone, not speech. Camera-estimated vitals can be wrong; weigh them against "
        "what you hear.\n"
        "- The caller may be panicked, whispering or unable to talk; silence and breathing "
        "sounds are evidence too.");
    if (textReports) {
        s += QStringLiteral(
            "\n- Instead of speaking, write every assessment as one JSON object and nothing "
            "else, with the keys situation_summary, detected_keywords (array of short phrases), "
            "caller_emotional_state (calm|distressed|panicked|unresponsive|unknown), "
            "recommended_response_type (medical|police|fire|unknown), severity (1-5), "
            "can_speak (true|false), critical (true|false) and critical_reason.");
    }
    return s;
}

LiveSetup buildTriageSetup(const TriageSetupOptions &options, const ToolRegistry &tools,
                           const QString &resumptionHandle)
{
    LiveSetup setup;
    setup.model = options.model;
    setup.responseModality = options.textReports ? ResponseModality::Text : ResponseModality::Audio;
    setup.systemInstruction = options.systemInstruction.isEmpty()
                                  ? triageSystemInstruction(options.textReports)
                                  : options.systemInstruction;
    // Reports never make the model wait: non-blocking wherever the model accepts it.
    const bool nonBlocking =
        modelCapabilities(options.model, options.backend).toolBehaviorFor(true) ==
        ToolBehavior::NonBlocking;
    setup.functionDeclarations = tools.functionDeclarations();
    for (FunctionDeclaration &f : setup.functionDeclarations)
        f.nonBlocking = nonBlocking;
    setup.inputAudioTranscription = true;
    // Output transcription describes the model's audio; there is none in TEXT mode.
    setup.outputAudioTranscription = !options.textReports;
    setup.sessionResumption = true;
    setup.resumptionHandle = resumptionHandle;
    setup.contextWindowCompression.enabled = true; // {slidingWindow:{}}: long calls (§3.1, §7)
    // Nobody hears the model, so barge-in has no purpose: it would only cancel tool calls
    // (a report lost) and race their responses.
    RealtimeInputConfig realtime;
    realtime.activityHandling = ActivityHandling::NoInterruption;
    // Our endpointing is authoritative where the model takes manual activity signals: the
    // server's VAD drops short answers ("yes", "he's not breathing") right after a model turn on
    // phone audio. The supervisor sends activityStart / activityEnd from our VAD; all the audio
    // still goes, and belongs to the next turn (TURN_INCLUDES_ALL_INPUT), so a start our VAD
    // finds late, or a sound it does not take for speech, still reaches the model.
    if (modelCapabilities(options.model, options.backend).manualActivity) {
        realtime.automaticActivityDetection = false;
        realtime.turnCoverage = TurnCoverage::AllInput;
    }
    setup.realtimeInputConfig = realtime;
    return setup;
}

} // namespace dispatch::gemini
