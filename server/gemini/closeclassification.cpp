#include "gemini/closeclassification.h"

namespace dispatch::gemini {

namespace {

CloseClassification make(CloseKind kind, CloseCategory category, const char *text)
{
    return {kind, category, QString::fromLatin1(text)};
}

} // namespace

CloseClassification classifyClose(int code, const QString &reason, CloseContext context)
{
    const auto has = [&reason](const char *needle) {
        return reason.contains(QLatin1String(needle), Qt::CaseInsensitive);
    };
    const bool keyProblem =
        has("API key") || has("API_KEY") || has("permission denied") || has("unauthenticated");
    switch (code) {
    case 1000:
        return make(CloseKind::Retryable, CloseCategory::Cancelled,
                    "The AI service ended the connection.");
    case 1006:
        return make(CloseKind::Retryable, CloseCategory::NetworkDrop,
                    "The connection to the AI service was lost.");
    case 1007:
        if (keyProblem)
            return make(CloseKind::Final, CloseCategory::ApiKey,
                        "The AI service rejected the API key.");
        return make(CloseKind::Final, CloseCategory::BadRequest,
                    "The AI service rejected the session request.");
    case 1008:
        if (keyProblem)
            return make(CloseKind::Final, CloseCategory::ApiKey,
                        "The AI service rejected the API key.");
        if (has("not found") || has("not supported for bidiGenerateContent"))
            return make(CloseKind::Final, CloseCategory::ModelNotFound,
                        "The configured AI model is not available.");
        if (has("not implemented"))
            return make(CloseKind::Retryable, CloseCategory::NotImplemented,
                        "The AI service failed an operation; reconnecting.");
        if (context.goAwayReceived)
            return make(CloseKind::Retryable, CloseCategory::GoAwayExpired,
                        "The AI connection reached its time limit.");
        return make(CloseKind::Retryable, CloseCategory::Unknown,
                    "The AI service closed the connection (policy).");
    case 1009:
        return make(CloseKind::Retryable, CloseCategory::MessageTooBig,
                    "A message from the AI service was too large.");
    case 1011:
        if (has("quota") || has("exhausted"))
            return make(CloseKind::Final, CloseCategory::Quota,
                        "The AI service quota is exhausted.");
        return make(CloseKind::Retryable, CloseCategory::Internal,
                    "The AI service had an internal error.");
    case 1001:
    case 1012:
    case 1013:
    case 1014:
        return make(CloseKind::Retryable, CloseCategory::Internal,
                    "The AI service is restarting or overloaded.");
    case 1002:
    case 1003:
        return make(CloseKind::Final, CloseCategory::BadRequest,
                    "The AI service reported a protocol error.");
    default:
        break;
    }
    return make(CloseKind::Retryable, CloseCategory::Unknown,
                "The AI service closed the connection.");
}

CloseClassification classifyHandshakeStatus(int httpStatus)
{
    if (httpStatus == 429)
        return make(CloseKind::Final, CloseCategory::Quota,
                    "The AI service refused the connection: quota or rate limit.");
    if (httpStatus == 401 || httpStatus == 403)
        return make(CloseKind::Final, CloseCategory::ApiKey,
                    "The AI service rejected the API key.");
    if (httpStatus == 404)
        return make(CloseKind::Final, CloseCategory::BadRequest,
                    "The AI service endpoint was not found.");
    if (httpStatus >= 400 && httpStatus < 500)
        return make(CloseKind::Final, CloseCategory::BadRequest,
                    "The AI service refused the connection request.");
    return make(CloseKind::Retryable, CloseCategory::Internal, "The AI service is unavailable.");
}

QString toString(CloseKind kind)
{
    return kind == CloseKind::Final ? QStringLiteral("final") : QStringLiteral("retryable");
}

QString toString(CloseCategory category)
{
    switch (category) {
    case CloseCategory::ClosedByClient:
        return QStringLiteral("closedByClient");
    case CloseCategory::Cancelled:
        return QStringLiteral("cancelled");
    case CloseCategory::NetworkDrop:
        return QStringLiteral("networkDrop");
    case CloseCategory::GoAwayExpired:
        return QStringLiteral("goAwayExpired");
    case CloseCategory::Internal:
        return QStringLiteral("internal");
    case CloseCategory::NotImplemented:
        return QStringLiteral("notImplemented");
    case CloseCategory::Quota:
        return QStringLiteral("quota");
    case CloseCategory::ApiKey:
        return QStringLiteral("apiKey");
    case CloseCategory::Credentials:
        return QStringLiteral("credentials");
    case CloseCategory::ModelNotFound:
        return QStringLiteral("modelNotFound");
    case CloseCategory::BadRequest:
        return QStringLiteral("badRequest");
    case CloseCategory::SetupTimeout:
        return QStringLiteral("setupTimeout");
    case CloseCategory::MessageTooBig:
        return QStringLiteral("messageTooBig");
    case CloseCategory::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

} // namespace dispatch::gemini
