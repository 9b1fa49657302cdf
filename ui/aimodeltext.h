#pragma once

#include "calls/callstore.h"
#include "gemini/modelchoice.h"
#include "triage/shadowbudget.h"

#include <QCoreApplication>
#include <QString>

#include <optional>

namespace dispatch {

// The AI part of the status bar: live calls by triage link, and the dispatcher's words for the
// Gemini model in use and why (the engine gives the model list
// and reason codes): the status bar says which model triages the calls, so a model retired by
// Google, and the fallback that followed, never go unnoticed.
class AiModelText
{
    Q_DECLARE_TR_FUNCTIONS(AiModelText)

public:
    struct LinkCounts
    {
        int gemini = 0; // connecting, live or resuming
        int local = 0;  // local triage, or Gemini failed
    };
    static LinkCounts countLinks(const CallStore &store);
    // "model gemini-3.8-live", "model gemini-3.1-flash-live-preview (fallback)",
    // "no Gemini model left".
    static QString label(const gemini::ModelChoice &choice);
    // Why: which models were left and for what reason, and whether the model is confirmed.
    static QString tooltip(const gemini::ModelChoice &choice);

    // "2 of 5 calls shadowed" and why the limit is what it is (the engine's reason code); empty
    // when shadowing is off and none runs.
    static QString shadowsLabel(const ShadowStatus &shadows);
    static QString shadowsTooltip(const ShadowStatus &shadows);

    // The whole status-bar item: counts of the store's calls by link, the Gemini budget when
    // there is one (0: none), the local shadows when known, and the model when Gemini is
    // configured (null: not).
    struct StatusLine
    {
        QString text;
        QString tooltip;
    };
    static StatusLine statusLine(const CallStore &store, int geminiBudget,
                                 const gemini::ModelChoice *models,
                                 const std::optional<ShadowStatus> &shadows = std::nullopt);
};

} // namespace dispatch
