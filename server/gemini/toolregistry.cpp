#include "gemini/toolregistry.h"

#include <QJsonArray>
#include <QLoggingCategory>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>

namespace dispatch::gemini {

namespace {

Q_LOGGING_CATEGORY(lcTools, "dispatch.gemini.tools")

QString typeName(ParameterType t)
{
    switch (t) {
    case ParameterType::Integer:
        return QStringLiteral("INTEGER");
    case ParameterType::Number:
        return QStringLiteral("NUMBER");
    case ParameterType::Boolean:
        return QStringLiteral("BOOLEAN");
    case ParameterType::StringArray:
        return QStringLiteral("ARRAY");
    case ParameterType::String:
    case ParameterType::Enum:
        break;
    }
    return QStringLiteral("STRING");
}

ProtocolError badArgument(const QString &name, const QString &why)
{
    return {QStringLiteral("bad_arguments"), QStringLiteral("argument '%1' %2").arg(name, why)};
}

QString rangeText(const ToolParameter &p)
{
    if (p.minimum && p.maximum)
        return QStringLiteral("between %1 and %2").arg(*p.minimum).arg(*p.maximum);
    if (p.minimum)
        return QStringLiteral("at least %1").arg(*p.minimum);
    return QStringLiteral("at most %1").arg(p.maximum.value_or(0));
}

// Returns the value to pass on, or an error.
Parsed<QJsonValue> validateOne(const ToolParameter &p, const QJsonValue &v)
{
    switch (p.type) {
    case ParameterType::String:
        if (!v.isString())
            return badArgument(p.name, QStringLiteral("must be a string"));
        return QJsonValue(v.toString().left(p.maxLength));
    case ParameterType::Boolean:
        if (!v.isBool())
            return badArgument(p.name, QStringLiteral("must be true or false"));
        return v;
    case ParameterType::Enum: {
        if (!v.isString())
            return badArgument(
                p.name,
                QStringLiteral("must be one of: %1").arg(p.enumValues.join(QStringLiteral(", "))));
        const QString s = v.toString().trimmed();
        for (const QString &allowed : p.enumValues) {
            if (allowed.compare(s, Qt::CaseInsensitive) == 0)
                return QJsonValue(allowed);
        }
        return badArgument(
            p.name,
            QStringLiteral("must be one of: %1").arg(p.enumValues.join(QStringLiteral(", "))));
    }
    case ParameterType::StringArray: {
        if (!v.isArray())
            return badArgument(p.name, QStringLiteral("must be an array of strings"));
        QJsonArray out;
        for (const QJsonValue &item : v.toArray()) {
            if (!item.isString())
                return badArgument(p.name, QStringLiteral("must be an array of strings"));
            if (out.size() < p.maxItems)
                out.append(item.toString().left(p.maxLength));
        }
        return QJsonValue(out);
    }
    case ParameterType::Integer:
    case ParameterType::Number: {
        const bool integer = p.type == ParameterType::Integer;
        if (!v.isDouble() || !std::isfinite(v.toDouble()))
            return badArgument(p.name, integer ? QStringLiteral("must be an integer")
                                               : QStringLiteral("must be a number"));
        double d = v.toDouble();
        if (integer) {
            if (std::fabs(d - std::round(d)) > 1e-9 || std::fabs(d) > 9.0e15)
                return badArgument(p.name, QStringLiteral("must be an integer"));
            d = std::round(d);
        }
        const bool low = p.minimum && d < *p.minimum;
        const bool high = p.maximum && d > *p.maximum;
        if (low || high) {
            if (p.rangePolicy == RangePolicy::Refuse)
                return badArgument(p.name, QStringLiteral("must be ") + rangeText(p));
            d = low ? *p.minimum : *p.maximum;
        }
        if (integer)
            return QJsonValue(static_cast<qint64>(d));
        return QJsonValue(d);
    }
    }
    return badArgument(p.name, QStringLiteral("has an unsupported type"));
}

bool isValidToolName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]{0,63}$"));
    return re.match(name).hasMatch();
}

} // namespace

ToolParameter stringParameter(const QString &name, const QString &description, bool required,
                              qsizetype maxLength)
{
    ToolParameter p;
    p.name = name;
    p.description = description;
    p.required = required;
    p.maxLength = maxLength;
    return p;
}

ToolParameter booleanParameter(const QString &name, const QString &description, bool required)
{
    ToolParameter p = stringParameter(name, description, required);
    p.type = ParameterType::Boolean;
    return p;
}

ToolParameter integerParameter(const QString &name, const QString &description, double minimum,
                               double maximum, RangePolicy policy, bool required)
{
    ToolParameter p = stringParameter(name, description, required);
    p.type = ParameterType::Integer;
    p.minimum = minimum;
    p.maximum = maximum;
    p.rangePolicy = policy;
    return p;
}

ToolParameter numberParameter(const QString &name, const QString &description, double minimum,
                              double maximum, RangePolicy policy, bool required)
{
    ToolParameter p = integerParameter(name, description, minimum, maximum, policy, required);
    p.type = ParameterType::Number;
    return p;
}

ToolParameter enumParameter(const QString &name, const QString &description,
                            const QStringList &values, bool required)
{
    ToolParameter p = stringParameter(name, description, required);
    p.type = ParameterType::Enum;
    p.enumValues = values;
    return p;
}

ToolParameter stringArrayParameter(const QString &name, const QString &description,
                                   qsizetype maxItems, qsizetype maxLength, bool required)
{
    ToolParameter p = stringParameter(name, description, required, maxLength);
    p.type = ParameterType::StringArray;
    p.maxItems = maxItems;
    return p;
}

QJsonObject toolOutput(const QJsonValue &output)
{
    return QJsonObject{{QStringLiteral("output"), output}};
}

QJsonObject toolError(const QString &message)
{
    return QJsonObject{{QStringLiteral("error"), message}};
}

QJsonObject parametersSchema(const ToolDeclaration &declaration)
{
    QJsonObject properties;
    QJsonArray required;
    for (const ToolParameter &p : declaration.parameters) {
        QJsonObject s{{QStringLiteral("type"), typeName(p.type)}};
        if (!p.description.isEmpty())
            s.insert(QStringLiteral("description"), p.description);
        if (p.type == ParameterType::Enum) {
            s.insert(QStringLiteral("format"), QStringLiteral("enum"));
            s.insert(QStringLiteral("enum"), QJsonArray::fromStringList(p.enumValues));
        }
        if (p.type == ParameterType::StringArray) {
            s.insert(QStringLiteral("items"),
                     QJsonObject{{QStringLiteral("type"), QStringLiteral("STRING")}});
            s.insert(QStringLiteral("maxItems"), static_cast<double>(p.maxItems));
        }
        if (p.minimum)
            s.insert(QStringLiteral("minimum"), *p.minimum);
        if (p.maximum)
            s.insert(QStringLiteral("maximum"), *p.maximum);
        properties.insert(p.name, s);
        if (p.required)
            required.append(p.name);
    }
    QJsonObject schema{{QStringLiteral("type"), QStringLiteral("OBJECT")},
                       {QStringLiteral("properties"), properties}};
    if (!required.isEmpty())
        schema.insert(QStringLiteral("required"), required);
    return schema;
}

FunctionDeclaration functionDeclaration(const ToolDeclaration &declaration)
{
    return {declaration.name, declaration.description, parametersSchema(declaration),
            declaration.nonBlocking};
}

Parsed<QJsonObject> validateArguments(const ToolDeclaration &declaration, const QJsonObject &args)
{
    QJsonObject out;
    for (const ToolParameter &p : declaration.parameters) {
        const QJsonValue v = args.value(p.name);
        if (v.isUndefined() || v.isNull()) {
            if (p.required)
                return badArgument(p.name, QStringLiteral("is required"));
            continue;
        }
        auto checked = validateOne(p, v);
        if (!checked)
            return checked.error();
        out.insert(p.name, checked.value());
    }
    return out;
}

bool ToolRegistry::add(Tool tool)
{
    const QString name = tool.declaration.name;
    if (!isValidToolName(name) || !tool.handler || m_tools.contains(name))
        return false;
    QStringList seen;
    for (const ToolParameter &p : tool.declaration.parameters) {
        if (!isValidToolName(p.name) || seen.contains(p.name))
            return false;
        if (p.type == ParameterType::Enum && p.enumValues.isEmpty())
            return false;
        seen.append(p.name);
    }
    m_tools.insert(name, std::move(tool));
    m_order.append(name);
    return true;
}

const ToolDeclaration *ToolRegistry::declaration(const QString &name) const
{
    const auto it = m_tools.constFind(name);
    return it == m_tools.constEnd() ? nullptr : &it->declaration;
}

QList<FunctionDeclaration> ToolRegistry::functionDeclarations() const
{
    QList<FunctionDeclaration> out;
    for (const QString &name : m_order)
        out.append(functionDeclaration(m_tools.value(name).declaration));
    return out;
}

ToolInvocation ToolRegistry::dispatch(const FunctionCall &call) const
{
    ToolInvocation result;
    result.response.id = call.id;
    result.response.name = call.name;
    const auto it = m_tools.constFind(call.name);
    if (it == m_tools.constEnd()) {
        result.error = QStringLiteral("unknown tool '%1'").arg(call.name.left(64));
        result.response.response = toolError(result.error);
        qCWarning(lcTools) << "call" << call.id << "to an unknown tool refused";
        return result;
    }
    auto args = validateArguments(it->declaration, call.args);
    if (!args) {
        result.error = args.error().message;
        result.response.response = toolError(result.error);
        qCInfo(lcTools) << "call" << call.id << "to" << call.name << "refused:" << result.error;
        return result;
    }
    result.response.response = it->handler(args.value());
    result.handled = true;
    return result;
}

} // namespace dispatch::gemini
