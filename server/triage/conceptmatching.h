#pragma once

#include "triage/triagerules.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace dispatch::concepts {

// Finding the rules' concepts in a call's words, and the words around a finding that qualify
// it (negation, uncertainty, who it is about). Pure; used by the rules engine.
struct Match
{
    const ConceptRule *rule = nullptr;
    qsizetype start = 0;
    qsizetype length = 0;
};

enum class Qualifier
{
    None,
    Hedge,    // prospective or conditional: "might pass out", "if he stops breathing"
    Uncertain // the caller is unsure: "not sure", "i think", "maybe", "can't tell"
};

QString surface(const QList<TextToken> &tokens, qsizetype start, qsizetype length);
QList<Match> findMatches(const TriageRules &rules, const QList<TextToken> &tokens,
                         QList<bool> *matched);
bool negated(const TextRules &text, const QList<TextToken> &tokens, const QList<bool> &matched,
             const Match &m);
bool matchesAny(const QList<TextToken> &tokens, qsizetype at, const QList<QStringList> &patterns);
Qualifier qualifier(const TextRules &text, const QList<TextToken> &tokens,
                    const QList<bool> &matched, const Match &m);
bool qualifiedAfter(const QList<QStringList> &patterns, const QList<TextToken> &tokens,
                    const Match &m, qsizetype window);
bool aboutCaller(const QList<TextToken> &tokens, const Match &m);

} // namespace dispatch::concepts
