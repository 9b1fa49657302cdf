#include "vertexoptions.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QRegularExpression>

namespace dispatch {

QUrl GeminiBackendOptions::vertexEndpoint() const
{
    const QString host = location == QLatin1String("global")
                             ? QStringLiteral("aiplatform.googleapis.com")
                             : QStringLiteral("%1-aiplatform.googleapis.com").arg(location);
    return QUrl(QStringLiteral("wss://") + host);
}

GeminiBackendCommandLine::GeminiBackendCommandLine()
    : backend(QStringLiteral("gemini-backend"),
              QCoreApplication::translate("main", "Gemini Live service: developer (Gemini API, "
                                                  "GEMINI_API_KEY) or vertex (Vertex AI, a "
                                                  "service account)."),
              QStringLiteral("BACKEND"), QStringLiteral("developer"))
    , credentials(QStringLiteral("vertex-credentials"),
                  QCoreApplication::translate("main", "Vertex AI service-account key file (JSON, "
                                                      "readable by its owner only; also "
                                                      "GOOGLE_APPLICATION_CREDENTIALS)."),
                  QStringLiteral("FILE"))
    , project(QStringLiteral("vertex-project"),
              QCoreApplication::translate("main", "Vertex AI project (default: the project of "
                                                  "the service account)."),
              QStringLiteral("PROJECT"))
    , location(QStringLiteral("vertex-location"),
               QCoreApplication::translate("main", "Vertex AI location (region)."),
               QStringLiteral("LOCATION"), QStringLiteral("us-central1"))
{}

QList<QCommandLineOption> GeminiBackendCommandLine::options() const
{
    return {backend, credentials, project, location};
}

QString applyGeminiBackendOptions(const QCommandLineParser &parser,
                                  const GeminiBackendCommandLine &line,
                                  const QStringList &environment, GeminiBackendOptions *out)
{
    const QString backend = parser.value(line.backend).trimmed().toLower();
    if (backend == QLatin1String("vertex"))
        out->backend = gemini::LiveBackend::Vertex;
    else if (backend != QLatin1String("developer"))
        return QCoreApplication::translate("main", "--gemini-backend is developer or vertex");
    if (!out->isVertex())
        return {};

    static const QRegularExpression segment(QStringLiteral("^[a-z0-9][a-z0-9\\-]{0,62}$"));
    out->location = parser.value(line.location).trimmed().toLower();
    if (!segment.match(out->location).hasMatch())
        return QCoreApplication::translate("main", "Invalid --vertex-location: %1")
            .arg(parser.value(line.location));
    out->credentialsPath = parser.value(line.credentials).trimmed();
    for (const QString &entry : environment) {
        if (out->credentialsPath.isEmpty() &&
            entry.startsWith(QLatin1String("GOOGLE_APPLICATION_CREDENTIALS=")))
            out->credentialsPath = entry.mid(31).trimmed();
    }
    if (out->credentialsPath.isEmpty())
        return QCoreApplication::translate("main", "--gemini-backend vertex needs "
                                                   "--vertex-credentials FILE (or "
                                                   "GOOGLE_APPLICATION_CREDENTIALS)");
    const auto account = gemini::loadServiceAccount(out->credentialsPath);
    if (!account)
        return QCoreApplication::translate("main", "Vertex AI credentials refused: %1")
            .arg(account.error().message);
    out->account = account.value();
    out->project =
        parser.isSet(line.project) ? parser.value(line.project).trimmed() : account->projectId;
    static const QRegularExpression projectRe(QStringLiteral("^[a-z][a-z0-9\\-]{4,61}[a-z0-9]$"));
    if (!projectRe.match(out->project).hasMatch())
        return QCoreApplication::translate("main", "Invalid or missing --vertex-project: %1")
            .arg(out->project);
    return {};
}

} // namespace dispatch
