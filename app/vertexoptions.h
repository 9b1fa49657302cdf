#pragma once

#include "gemini/modelcapabilities.h"
#include "gemini/serviceaccount.h"

#include <QCommandLineOption>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

QT_BEGIN_NAMESPACE
class QCommandLineParser;
QT_END_NAMESPACE

namespace dispatch {

// Which Gemini Live backend, and Vertex AI's account, project and location.
struct GeminiBackendOptions
{
    gemini::LiveBackend backend = gemini::LiveBackend::GeminiApi; // --gemini-backend
    std::optional<gemini::ServiceAccount> account; // Vertex: loaded and checked; never logged
    QString credentialsPath;                       // where it came from
    QString project;                               // Vertex
    QString location = QStringLiteral("us-central1");

    bool isVertex() const { return backend == gemini::LiveBackend::Vertex; }
    // Vertex's regional endpoint (aiplatform.googleapis.com for `global`).
    QUrl vertexEndpoint() const;
};

// --gemini-backend, --vertex-credentials, --vertex-project, --vertex-location.
struct GeminiBackendCommandLine
{
    GeminiBackendCommandLine();
    QList<QCommandLineOption> options() const;

    QCommandLineOption backend;
    QCommandLineOption credentials;
    QCommandLineOption project;
    QCommandLineOption location;
};

// Reads the parsed options (and GOOGLE_APPLICATION_CREDENTIALS from `environment`); on Vertex
// loads the service-account file, refusing one that its group or others can read. Returns an
// error for the operator (translated) or an empty string.
QString applyGeminiBackendOptions(const QCommandLineParser &parser,
                                  const GeminiBackendCommandLine &line,
                                  const QStringList &environment, GeminiBackendOptions *out);

} // namespace dispatch
