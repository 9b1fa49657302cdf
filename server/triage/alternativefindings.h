#pragma once

#include "triage/rulesengine.h"

#include <QList>
#include <QString>

namespace dispatch {

// A critical finding in the recognizer's other hypotheses of one segment (its N-best list).
struct AlternativeFinding
{
    const ConceptRule *rule = nullptr;
    qsizetype segment = 0; // index into TriageInput::segments
    QString heard;         // the phrase as the first alternative holding it has it
    QString hypothesis;    // that alternative, whole
    int support = 0;       // how many of the segment's alternatives hold the finding
};

// Every critical concept that input.alternatives state in a phrase of two words or more ("not
// breathing", not "shot": one-word substitutions are the recognizer's commonest confusion),
// per segment, most supported first:
// each alternative is read as a sentence of its own with the same rules, so a critical
// mention that the alternative itself negates ("not bleeding") or hedges ("might pass out")
// is no finding. Whether the best hypothesis already says it, or negates it, is for the
// caller (the rules engine) to decide. Pure and deterministic.
QList<AlternativeFinding> alternativeFindings(const TriageRules &rules, const TriageInput &input);

} // namespace dispatch
