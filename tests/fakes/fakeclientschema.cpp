#include "fakeclientschema.h"

#include <QJsonArray>
#include <QList>

namespace dispatch::fakes {

namespace {

enum class Kind
{
    Scalar,      // string, number, bool (not checked further)
    ScalarArray, // array of scalars
    Object,      // object with known children
    ObjectArray, // array of objects with known children
    Free         // anything, not inspected
};

struct Node
{
    QString camel;
    Kind kind = Kind::Scalar;
    QList<Node> children;
    bool alphaOnly = false;     // v1alpha (and Vertex) only
    bool vertexOnly = false;    // Vertex AI only (sessionResumption.transparent, §1.2)
    bool developerOnly = false; // Developer API only (audioStreamEnd, §1.2)
};

Node scalar(const char *name)
{
    return {QString::fromLatin1(name), Kind::Scalar, {}, false};
}
Node scalars(const char *name)
{
    return {QString::fromLatin1(name), Kind::ScalarArray, {}, false};
}
Node anything(const char *name)
{
    return {QString::fromLatin1(name), Kind::Free, {}, false};
}
Node object(const char *name, QList<Node> children, bool alphaOnly = false)
{
    return {QString::fromLatin1(name), Kind::Object, std::move(children), alphaOnly};
}
Node objects(const char *name, QList<Node> children)
{
    return {QString::fromLatin1(name), Kind::ObjectArray, std::move(children), false};
}

QList<Node> blobFields()
{
    return {scalar("mimeType"), scalar("data")};
}

QList<Node> contentFields()
{
    return {scalar("role"),
            objects("parts", {scalar("text"), scalar("thought"), object("inlineData", blobFields()),
                              anything("functionCall"), anything("functionResponse")})};
}

const Node &rootNode()
{
    static const Node root = [] {
        const Node setup = object(
            "setup",
            {scalar("model"),
             object("generationConfig",
                    {scalar("candidateCount"),
                     scalar("maxOutputTokens"),
                     scalar("temperature"),
                     scalar("topP"),
                     scalar("topK"),
                     scalar("presencePenalty"),
                     scalar("frequencyPenalty"),
                     scalar("seed"),
                     scalars("responseModalities"),
                     object("speechConfig",
                            {object("voiceConfig",
                                    {object("prebuiltVoiceConfig", {scalar("voiceName")})}),
                             scalar("languageCode"), anything("multiSpeakerVoiceConfig")}),
                     scalar("mediaResolution"),
                     object("thinkingConfig", {scalar("thinkingBudget"), scalar("includeThoughts"),
                                               scalar("thinkingLevel")}),
                     {QStringLiteral("enableAffectiveDialog"), Kind::Scalar, {}, true}}),
             object("systemInstruction", contentFields()),
             objects("tools", {objects("functionDeclarations",
                                       {scalar("name"), scalar("description"), scalar("behavior"),
                                        anything("parameters"), anything("parametersJsonSchema"),
                                        anything("response"), anything("responseJsonSchema")}),
                               anything("googleSearch"), anything("codeExecution"),
                               anything("urlContext"), anything("googleSearchRetrieval")}),
             object("realtimeInputConfig",
                    {object("automaticActivityDetection",
                            {scalar("disabled"), scalar("startOfSpeechSensitivity"),
                             scalar("endOfSpeechSensitivity"), scalar("prefixPaddingMs"),
                             scalar("silenceDurationMs")}),
                     scalar("activityHandling"), scalar("turnCoverage")}),
             object("sessionResumption",
                    {scalar("handle"),
                     {QStringLiteral("transparent"), Kind::Scalar, {}, false, true, false}}),
             object("contextWindowCompression",
                    {scalar("triggerTokens"), object("slidingWindow", {scalar("targetTokens")})}),
             object("inputAudioTranscription", {}), object("outputAudioTranscription", {}),
             object("proactivity", {scalar("proactiveAudio")}, true),
             object("historyConfig", {scalar("initialHistoryInClientContent")})});
        const Node clientContent =
            object("clientContent", {objects("turns", contentFields()), scalar("turnComplete")});
        const Node realtimeInput =
            object("realtimeInput",
                   {objects("mediaChunks", blobFields()),
                    object("audio", blobFields()),
                    object("video", blobFields()),
                    scalar("text"),
                    object("activityStart", {}),
                    object("activityEnd", {}),
                    {QStringLiteral("audioStreamEnd"), Kind::Scalar, {}, false, false, true}});
        const Node toolResponse = object(
            "toolResponse",
            {objects("functionResponses", {scalar("id"), scalar("name"), anything("response"),
                                           scalar("scheduling"), scalar("willContinue")})});
        return object("", {setup, clientContent, realtimeInput, toolResponse});
    }();
    return root;
}

ProtocolError invalid(const QString &text)
{
    return {QStringLiteral("1007"), QStringLiteral("Invalid JSON payload received. ") + text};
}

ProtocolError unknownName(const QString &name, const QString &path)
{
    if (path.isEmpty())
        return invalid(QStringLiteral("Unknown name \"%1\": Cannot find field.").arg(name));
    return invalid(
        QStringLiteral("Unknown name \"%1\" at '%2': Cannot find field.").arg(name, path));
}

const Node *findChild(const Node &node, const QString &key, FakeApiVersion version)
{
    for (const Node &c : node.children) {
        if (c.camel == key || snakeCase(c.camel) == key) {
            const bool vertex = version == FakeApiVersion::VertexV1beta1;
            if ((c.alphaOnly && version == FakeApiVersion::V1beta) || (c.vertexOnly && !vertex) ||
                (c.developerOnly && vertex))
                return nullptr;
            return &c;
        }
    }
    return nullptr;
}

QString join(const QString &path, const QString &name)
{
    return path.isEmpty() ? name : path + QLatin1Char('.') + name;
}

std::optional<ProtocolError> normalize(const Node &node, const QJsonObject &in, const QString &path,
                                       FakeApiVersion version, QJsonObject &out);

std::optional<ProtocolError> normalizeValue(const Node &child, const QJsonValue &v,
                                            const QString &path, FakeApiVersion version,
                                            QJsonValue &out)
{
    const auto wrongType = [&path](const char *what) {
        return invalid(QStringLiteral("Expected %1 for '%2'.").arg(QLatin1String(what), path));
    };
    switch (child.kind) {
    case Kind::Free:
        out = v;
        return std::nullopt;
    case Kind::Scalar:
        if (v.isObject() || v.isArray())
            return wrongType("a scalar");
        out = v;
        return std::nullopt;
    case Kind::ScalarArray:
        if (!v.isArray())
            return wrongType("a list");
        for (const QJsonValue &item : v.toArray()) {
            if (item.isObject() || item.isArray())
                return wrongType("a list of scalars");
        }
        out = v;
        return std::nullopt;
    case Kind::Object: {
        if (!v.isObject())
            return wrongType("an object");
        QJsonObject o;
        if (auto e = normalize(child, v.toObject(), path, version, o))
            return e;
        out = o;
        return std::nullopt;
    }
    case Kind::ObjectArray: {
        if (!v.isArray())
            return wrongType("a list");
        QJsonArray list;
        const QJsonArray items = v.toArray();
        for (qsizetype i = 0; i < items.size(); ++i) {
            const QString itemPath = path + QStringLiteral("[%1]").arg(i);
            if (!items.at(i).isObject())
                return invalid(QStringLiteral("Expected an object for '%1'.").arg(itemPath));
            QJsonObject o;
            if (auto e = normalize(child, items.at(i).toObject(), itemPath, version, o))
                return e;
            list.append(o);
        }
        out = list;
        return std::nullopt;
    }
    }
    return std::nullopt;
}

std::optional<ProtocolError> normalize(const Node &node, const QJsonObject &in, const QString &path,
                                       FakeApiVersion version, QJsonObject &out)
{
    for (auto it = in.constBegin(); it != in.constEnd(); ++it) {
        const Node *child = findChild(node, it.key(), version);
        if (!child)
            return unknownName(it.key(), path);
        if (out.contains(child->camel))
            return invalid(QStringLiteral("Field '%1' is set twice.")
                               .arg(join(path, snakeCase(child->camel))));
        QJsonValue value;
        if (auto e = normalizeValue(*child, it.value(), join(path, snakeCase(child->camel)),
                                    version, value))
            return e;
        out.insert(child->camel, value);
    }
    return std::nullopt;
}

} // namespace

QString snakeCase(const QString &camel)
{
    QString s;
    s.reserve(camel.size() + 4);
    for (const QChar c : camel) {
        if (c.isUpper()) {
            s.append(QLatin1Char('_'));
            s.append(c.toLower());
        } else {
            s.append(c);
        }
    }
    return s;
}

Parsed<QJsonObject> normalizeClientMessage(const QJsonObject &message, FakeApiVersion version)
{
    QJsonObject out;
    if (auto e = normalize(rootNode(), message, QString(), version, out))
        return *e;
    if (out.size() != 1) {
        if (out.isEmpty())
            return ProtocolError{QStringLiteral("1007"),
                                 QStringLiteral("Request contains an invalid argument.")};
        // A oneof with two members set: the proto3 JSON parser's complaint.
        const QStringList keys = out.keys();
        return invalid(QStringLiteral("Oneof field 'message_type' is already set. Cannot set '%1'")
                           .arg(snakeCase(keys.last())));
    }
    return out;
}

} // namespace dispatch::fakes
