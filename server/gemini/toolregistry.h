#pragma once

#include "common/parseresult.h"
#include "gemini/livemessages.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace dispatch::gemini {

enum class ParameterType
{
    String,
    Integer,
    Number,
    Boolean,
    StringArray,
    Enum
};

// What to do with a number outside [minimum, maximum].
enum class RangePolicy
{
    Refuse, // the call gets an error response, the handler is not called
    Clamp   // the value is clamped and the handler is called
};

// One typed argument of a tool. The JSON schema sent in `setup` is generated from it, and the
// same declaration validates what the model sends back.
struct ToolParameter
{
    QString name;
    ParameterType type = ParameterType::String;
    QString description;
    bool required = false;
    QStringList enumValues;        // Enum: accepted case-insensitively, normalised to this spelling
    std::optional<double> minimum; // Integer, Number
    std::optional<double> maximum; // Integer, Number
    RangePolicy rangePolicy = RangePolicy::Refuse;
    qsizetype maxLength = 2000; // String and each StringArray item: longer text is truncated
    qsizetype maxItems = 50;    // StringArray: extra items are dropped
};

// Short constructors so that a tool file reads like its declaration.
ToolParameter stringParameter(const QString &name, const QString &description,
                              bool required = false, qsizetype maxLength = 2000);
ToolParameter booleanParameter(const QString &name, const QString &description,
                               bool required = false);
ToolParameter integerParameter(const QString &name, const QString &description, double minimum,
                               double maximum, RangePolicy policy, bool required = false);
ToolParameter numberParameter(const QString &name, const QString &description, double minimum,
                              double maximum, RangePolicy policy, bool required = false);
ToolParameter enumParameter(const QString &name, const QString &description,
                            const QStringList &values, bool required = false);
ToolParameter stringArrayParameter(const QString &name, const QString &description,
                                   qsizetype maxItems, qsizetype maxLength, bool required = false);

struct ToolDeclaration
{
    QString name;
    QString description;
    QList<ToolParameter> parameters;
    bool nonBlocking = false;
};

// Receives validated arguments (only declared parameters, normalised) and returns the response
// object for the model: by convention {"output": ...} or {"error": "..."}.
using ToolHandler = std::function<QJsonObject(const QJsonObject &args)>;

struct Tool
{
    ToolDeclaration declaration;
    ToolHandler handler;
};

QJsonObject toolOutput(const QJsonValue &output);
QJsonObject toolError(const QString &message);

// Gemini `parameters` schema: {type: OBJECT, properties: {...}, required: [...]}.
QJsonObject parametersSchema(const ToolDeclaration &declaration);
FunctionDeclaration functionDeclaration(const ToolDeclaration &declaration);

// Checks types, enums and ranges. Unknown arguments are dropped; a null counts as absent.
// Error code "bad_arguments", the message names the argument (it is sent back to the model).
Parsed<QJsonObject> validateArguments(const ToolDeclaration &declaration, const QJsonObject &args);

// The outcome of one call: the response to send (always set, with the call's id and name) and
// whether the handler ran.
struct ToolInvocation
{
    FunctionResponse response;
    bool handled = false;
    QString error; // why not handled (unknown tool, bad arguments), for logs and counters
};

// The tools offered to the model in one session. Plain value-like class: no QObject, no UI.
class ToolRegistry
{
public:
    // Refuses a duplicate name, an invalid name or a declaration without a handler.
    bool add(Tool tool);

    bool contains(const QString &name) const { return m_tools.contains(name); }
    QStringList names() const { return m_order; }
    const ToolDeclaration *declaration(const QString &name) const;
    // For LiveSetup::functionDeclarations, in registration order.
    QList<FunctionDeclaration> functionDeclarations() const;

    ToolInvocation dispatch(const FunctionCall &call) const;

private:
    QHash<QString, Tool> m_tools;
    QStringList m_order;
};

} // namespace dispatch::gemini
