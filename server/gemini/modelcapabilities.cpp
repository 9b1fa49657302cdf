#include "gemini/modelcapabilities.h"

#include <QRegularExpression>

namespace dispatch::gemini {

namespace {

constexpr qint64 K128 = 131072;

ModelCapabilities shutDownHalfCascade(const char *id)
{
    // Half-cascade (native audio in, TTS out): shut down 2025-12-09 ("2026-12 update"). What
    // they accepted no longer matters: a setup naming them fails.
    ModelCapabilities m;
    m.id = QString::fromLatin1(id);
    m.status = ModelStatus::ShutDown;
    m.shutDownOn = QDate(2025, 12, 9);
    m.acceptsNonBlockingTools = true;
    m.toolResponseScheduling = true;
    m.textModality = true;
    return m;
}

ModelCapabilities nativeAudio25(const char *id, ModelStatus status)
{
    // §3.3, §4.3, §7, §8: NON_BLOCKING and scheduling work on 2.x via the Gemini API;
    // proactivity and affective dialog on native audio 2.5 (v1alpha, UNCONFIRMED matrix);
    // thinkingBudget; native audio refuses TEXT.
    ModelCapabilities m;
    m.id = QString::fromLatin1(id);
    m.status = status;
    m.acceptsNonBlockingTools = true;
    m.toolResponseScheduling = true;
    m.proactivity = true;
    m.affectiveDialog = true;
    m.thinking = ThinkingControl::Budget;
    m.mediaResolution = true;
    // Custom VAD (activityStart / activityEnd with automatic detection off) is documented for
    // 2.5 native audio (the capabilities page's model comparison; PROTO RealtimeInputConfig).
    m.manualActivity = true;
    m.inputTokenLimit = K128;
    m.outputTokenLimit = 8192;
    return m;
}

QList<ModelCapabilities> buildTable()
{
    QList<ModelCapabilities> t;

    // Stable since 2026-09: tools NON_BLOCKING by default (BLOCKING opt-in), responses scheduled;
    // proactive audio always on and affective dialog removed on the Developer API, so neither
    // field is sent; clientContent at any time.
    ModelCapabilities live38;
    live38.id = QStringLiteral("gemini-3.8-live");
    live38.status = ModelStatus::Stable;
    live38.acceptsNonBlockingTools = true;
    live38.defaultToolBehavior = ToolBehavior::NonBlocking;
    live38.toolResponseScheduling = true;
    live38.thinking = ThinkingControl::Level;
    live38.mediaResolution = true;
    // Not documented per model for 3.8: activityStart / activityEnd are API-level (PROTO) and
    // documented for 2.5 and 3.1; no 3.8 page lists an exception. A refusal would be a 1007 at
    // setup, which leaves the model for the next of the list (never silent).
    live38.manualActivity = true;
    live38.inputTokenLimit = K128;
    live38.outputTokenLimit = 65536;
    t.append(live38);

    // Speaks fillers while reasoning; NON_BLOCKING tools only. Limits not published separately.
    ModelCapabilities thinking38 = live38;
    thinking38.id = QStringLiteral("gemini-3.8-live-extended-thinking");
    thinking38.acceptsBlockingTools = false;
    thinking38.inputTokenLimit = 0;
    thinking38.outputTokenLimit = 0;
    t.append(thinking38);

    // Previous generation: synchronous tools only (no NON_BLOCKING, no scheduling, §4.3);
    // rejects enableAffectiveDialog and proactivity (§3.3); thinkingLevel; clientContent only
    // for the initial history (§4.2).
    ModelCapabilities live31;
    live31.id = QStringLiteral("gemini-3.1-flash-live-preview");
    live31.status = ModelStatus::Preview;
    live31.thinking = ThinkingControl::Level;
    live31.mediaResolution = true;
    live31.midSessionClientContent = false;
    live31.manualActivity = true; // custom VAD documented (capabilities page's comparison)
    live31.inputTokenLimit = K128;
    t.append(live31);

    t.append(nativeAudio25("gemini-2.5-flash-native-audio-preview-12-2025", ModelStatus::Preview));
    // The alias of the current 2.5 native audio (CB-WS).
    t.append(nativeAudio25("gemini-2.5-flash-native-audio-latest", ModelStatus::Preview));

    t.append(shutDownHalfCascade("gemini-2.0-flash-live-001"));
    t.append(shutDownHalfCascade("gemini-live-2.5-flash-preview"));

    // Vertex native audio (GA): NON_BLOCKING not supported (pipecat-ai/docs PR #808), transparent
    // resumption, 32k context by default (128k on request, §7). Output limit as the 2.5 page.
    ModelCapabilities vertex25 =
        nativeAudio25("gemini-live-2.5-flash-native-audio", ModelStatus::Stable);
    vertex25.backend = LiveBackend::Vertex;
    vertex25.acceptsNonBlockingTools = false;
    vertex25.toolResponseScheduling = false;
    vertex25.resumption = ResumptionKind::Transparent;
    vertex25.inputTokenLimit = 32768;
    // manualActivity from nativeAudio25: the Vertex Live API page on voice activity detection
    // documents turning automatic detection off and sending activity start / end.
    t.append(vertex25);

    // gemini-3.8-live on Vertex ("2026-12 update"; nothing confirmed against the service):
    // NON_BLOCKING reportedly ignored on Vertex (pipecat-ai/docs PR #808), so tools are treated
    // as blocking and no `behavior` or `scheduling` is sent; proactive audio and affective
    // dialog are on by default there per the Agent Platform page, so neither field is sent;
    // transparent resumption.
    ModelCapabilities vertex38 = live38;
    vertex38.backend = LiveBackend::Vertex;
    vertex38.acceptsNonBlockingTools = false;
    vertex38.defaultToolBehavior = ToolBehavior::Blocking;
    vertex38.toolResponseScheduling = false;
    vertex38.resumption = ResumptionKind::Transparent;
    t.append(vertex38);
    return t;
}

} // namespace

ToolBehavior ModelCapabilities::toolBehaviorFor(bool wantNonBlocking) const
{
    if (wantNonBlocking)
        return acceptsNonBlockingTools ? ToolBehavior::NonBlocking : ToolBehavior::Blocking;
    return acceptsBlockingTools ? ToolBehavior::Blocking : ToolBehavior::NonBlocking;
}

QString normalizedModelId(const QString &model)
{
    QString id = model.trimmed().toLower();
    static const QRegularExpression prefix(
        QStringLiteral("^(?:projects/[^/]+/locations/[^/]+/publishers/[^/]+/)?models/"));
    id.remove(prefix);
    return id;
}

const QList<ModelCapabilities> &knownModels()
{
    static const QList<ModelCapabilities> table = buildTable();
    return table;
}

ModelCapabilities modelCapabilities(const QString &model, LiveBackend backend)
{
    const QString id = normalizedModelId(model);
    for (const ModelCapabilities &m : knownModels()) {
        if (m.id == id && m.backend == backend)
            return m;
    }
    ModelCapabilities conservative; // the defaults of the struct are the conservative row
    conservative.id = id;
    conservative.backend = backend;
    return conservative;
}

QString currentStableModel(LiveBackend backend)
{
    if (backend == LiveBackend::Vertex)
        return QStringLiteral("gemini-live-2.5-flash-native-audio");
    return QStringLiteral("gemini-3.8-live");
}

QString toString(ModelStatus status)
{
    switch (status) {
    case ModelStatus::Stable:
        return QStringLiteral("stable");
    case ModelStatus::Preview:
        return QStringLiteral("preview");
    case ModelStatus::ShutDown:
        return QStringLiteral("shut_down");
    case ModelStatus::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

QString toString(LiveBackend backend)
{
    return backend == LiveBackend::Vertex ? QStringLiteral("vertex") : QStringLiteral("gemini_api");
}

} // namespace dispatch::gemini
