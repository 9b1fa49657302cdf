#pragma once

// Which model the sessions of a process use, from an ordered list (--gemini-model a,b,c).

#include "gemini/closeclassification.h"
#include "gemini/modelcapabilities.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace dispatch::gemini {

// The models a process may use, in order of preference, and the one in use. Shared by every
// session of the process (a std::shared_ptr in LiveSupervisorConfig): a model the service refused
// once is not tried again, neither by the following connection attempts of that session nor by
// new calls. Rule: a model is left for the next one when the service closes a connection with
// it, before setupComplete, as ModelNotFound (1008 "... is not found ...") or BadRequest (1007:
// it rejected the setup). Models the table marks shut down are skipped at once, with a log line.
// Single-threaded (the event loop's).
class ModelChoice
{
public:
    struct Skipped
    {
        QString model;
        QString reason; // a code: "shut_down", "model_not_found", "bad_request"
    };

    explicit ModelChoice(const QStringList &models, LiveBackend backend = LiveBackend::GeminiApi);

    // "a, b,,c " -> {"a", "b", "c"}.
    static QStringList parseList(const QString &commaSeparated);

    // The model new connections use; empty when every model was skipped.
    QString current() const;
    bool exhausted() const { return m_index >= m_models.size(); }
    const QStringList &configured() const { return m_models; }
    LiveBackend backend() const { return m_backend; }

    // The service refused `model` (see the rule above). Moves past it when it is the model in
    // use and another one follows; the last model stays in use (each new call tries it again).
    // True when current() is worth a try (it differs from `model`, or the refusal was of
    // another kind); false when `model` was the last one.
    bool refuse(const QString &model, CloseCategory category);
    // A connection with `model` went live. True the first time this model works: the caller
    // logs describe() once.
    bool confirm(const QString &model);
    QString confirmed() const { return m_confirmed; } // empty until a connection went live

    const QList<Skipped> &skipped() const { return m_skipped; }
    // Why current() is in use, as a code: "first_choice", "fallback" or "none_left".
    QString reasonCode() const;
    // For the log: "gemini-3.1-flash-live-preview (gemini-3.8-live: model not found)",
    // "gemini-3.8-live (first choice)".
    QString describe() const;

private:
    void skipShutDown();

    QStringList m_models;
    LiveBackend m_backend;
    qsizetype m_index = 0;
    QString m_confirmed;
    QList<Skipped> m_skipped;
};

} // namespace dispatch::gemini
