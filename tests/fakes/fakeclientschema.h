#pragma once

#include "common/parseresult.h"

#include <QJsonObject>
#include <QString>

namespace dispatch::fakes {

enum class FakeApiVersion
{
    V1beta,
    V1alpha,
    VertexV1beta1 // Vertex AI (LlmBidiService): transparent resumption, no audioStreamEnd
};

// Checks one client message the way the real server's proto3 JSON parser does: field names may
// be lowerCamelCase or snake_case; an unknown or misplaced name is fatal with the real 1007 text
// `Invalid JSON payload received. Unknown name "<f>" at '<snake path>': Cannot find field.`
// Fields the reference marks v1alpha-only (enableAffectiveDialog, proactivity) are unknown on
// v1beta; sessionResumption.transparent exists only on Vertex, audioStreamEnd only off it.
// Free-form subtrees (tool parameters, function responses) are not inspected. Returns the message
// with every structural key in camelCase; ProtocolError::message is the close reason to send (code
// "1007").
Parsed<QJsonObject> normalizeClientMessage(const QJsonObject &message, FakeApiVersion version);

QString snakeCase(const QString &camel);

} // namespace dispatch::fakes
