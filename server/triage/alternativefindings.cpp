#include "triage/alternativefindings.h"

#include "triage/conceptmatching.h"

#include <algorithm>

namespace dispatch {

using namespace concepts;

QList<AlternativeFinding> alternativeFindings(const TriageRules &rules, const TriageInput &input)
{
    QList<AlternativeFinding> out;
    for (auto seg = input.alternatives.cbegin(); seg != input.alternatives.cend(); ++seg) {
        const qsizetype s = seg.key();
        // Recognized speech only: typed text has no alternatives, and keyword spotting alone
        // never raises the critical flag.
        if (input.keywordSpottingOnly || s < 0 || s >= input.segments.size() ||
            input.segments.at(s).speaker != Speaker::Caller ||
            input.segments.at(s).text.trimmed().startsWith(QLatin1String("[keywords]")))
            continue;
        const qsizetype first = out.size();
        for (const QString &alt : seg.value()) {
            int clause = 0;
            const QList<TextToken> tokens = tokenize(alt, rules.text, static_cast<int>(s), clause);
            QList<bool> matched;
            QList<const ConceptRule *> inThis;
            for (const Match &m : findMatches(rules, tokens, &matched)) {
                // One word is the recognizer's commonest confusion ("shut"/"shot",
                // "talking"/"choking"): only a phrase of two words or more counts.
                if (!m.rule->critical || m.length < 2 || inThis.contains(m.rule))
                    continue;
                if (m.rule->negatable && negated(rules.text, tokens, matched, m))
                    continue;
                if (m.rule->hedgeable &&
                    qualifier(rules.text, tokens, matched, m) == Qualifier::Hedge)
                    continue;
                inThis.append(m.rule);
                auto it =
                    std::find_if(out.begin() + first, out.end(),
                                 [&](const AlternativeFinding &f) { return f.rule == m.rule; });
                if (it != out.end()) {
                    ++it->support;
                    continue;
                }
                out.append(
                    AlternativeFinding{m.rule, s, surface(tokens, m.start, m.length), alt, 1});
            }
        }
        std::stable_sort(out.begin() + first, out.end(),
                         [](const AlternativeFinding &a, const AlternativeFinding &b) {
                             return a.support > b.support;
                         });
    }
    // QHash order is arbitrary: segments in call order, for a deterministic report.
    std::stable_sort(out.begin(), out.end(),
                     [](const AlternativeFinding &a, const AlternativeFinding &b) {
                         return a.segment < b.segment;
                     });
    return out;
}

} // namespace dispatch
