#include "triage/conceptmatching.h"

namespace dispatch::concepts {

QString surface(const QList<TextToken> &tokens, qsizetype start, qsizetype length)
{
    QStringList words;
    for (qsizetype i = start; i < start + length; ++i)
        words.append(tokens.at(i).surface);
    return words.join(u' ');
}

QList<Match> findMatches(const TriageRules &rules, const QList<TextToken> &tokens,
                         QList<bool> *matched)
{
    QList<Match> candidates;
    for (qsizetype i = 0; i < tokens.size(); ++i) {
        for (const ConceptRule &c : rules.concepts) {
            int best = 0;
            for (const QStringList &p : c.patterns)
                best = std::max(best, matchPattern(tokens, i, p));
            if (best > 0)
                candidates.append(Match{&c, i, best});
        }
    }
    // Longest mention wins ("not breathing" over "breathing"), then the earliest.
    std::stable_sort(candidates.begin(), candidates.end(), [](const Match &a, const Match &b) {
        return a.length != b.length ? a.length > b.length : a.start < b.start;
    });
    QList<Match> accepted;
    QList<bool> &used = *matched;
    used = QList<bool>(tokens.size(), false);
    for (const Match &m : std::as_const(candidates)) {
        bool free = true;
        for (qsizetype i = m.start; i < m.start + m.length; ++i)
            free = free && !used.at(i);
        if (!free)
            continue;
        for (qsizetype i = m.start; i < m.start + m.length; ++i)
            used[i] = true;
        accepted.append(m);
    }
    std::sort(accepted.begin(), accepted.end(),
              [](const Match &a, const Match &b) { return a.start < b.start; });
    return accepted;
}

// A negator binds to the nearest mention after it in the same clause: "no fire, just smoke"
// negates the fire, not the smoke.
bool negated(const TextRules &text, const QList<TextToken> &tokens, const QList<bool> &matched,
             const Match &m)
{
    const int clause = tokens.at(m.start).clause;
    for (qsizetype i = m.start - 1; i >= 0 && i >= m.start - text.negationWindow; --i) {
        if (tokens.at(i).clause != clause || matched.at(i))
            break;
        if (text.negators.contains(tokens.at(i).stem))
            return true;
    }
    return false;
}

bool matchesAny(const QList<TextToken> &tokens, qsizetype at, const QList<QStringList> &patterns)
{
    return std::any_of(patterns.cbegin(), patterns.cend(),
                       [&](const QStringList &p) { return matchPattern(tokens, at, p) > 0; });
}

// The nearest qualifier before a mention in its clause decides ("i think he is going to pass
// out" is a hedge; "he might be dead" is uncertainty, which is checked first at one position).
Qualifier qualifier(const TextRules &text, const QList<TextToken> &tokens,
                    const QList<bool> &matched, const Match &m)
{
    const int clause = tokens.at(m.start).clause;
    for (qsizetype i = m.start - 1; i >= 0 && i >= m.start - text.hedgeWindow; --i) {
        // Another mention in between takes the qualifier: in "not sure if she is breathing she
        // will not wake up" the doubt is about the breathing, not the waking.
        if (tokens.at(i).clause != clause || matched.at(i))
            break;
        if (matchesAny(tokens, i, text.uncertainty))
            return Qualifier::Uncertain;
        if (matchesAny(tokens, i, text.hedges))
            return Qualifier::Hedge;
    }
    return Qualifier::None;
}

// A qualifier right after a reassurance, within its segment: uncertainty ("she is breathing,
// i think") or abnormality ("he is breathing really slowly").
bool qualifiedAfter(const QList<QStringList> &patterns, const QList<TextToken> &tokens,
                    const Match &m, qsizetype window)
{
    const int segment = tokens.at(m.start).segment;
    const qsizetype end = m.start + m.length;
    for (qsizetype i = end; i < tokens.size() && i < end + window; ++i) {
        if (tokens.at(i).segment != segment)
            break;
        if (matchesAny(tokens, i, patterns))
            return true;
    }
    return false;
}

// "i am fine", "we are okay": the caller speaking about themself, not about the patient.
bool aboutCaller(const QList<TextToken> &tokens, const Match &m)
{
    static const QStringList firstPerson{QStringLiteral("i"), QStringLiteral("we")};
    const TextToken &first = tokens.at(m.start);
    if (firstPerson.contains(first.stem))
        return true;
    return m.start > 0 && tokens.at(m.start - 1).clause == first.clause &&
           firstPerson.contains(tokens.at(m.start - 1).stem);
}

// A keyword-spotting segment: the recognizer was degraded and heard only listed phrases.
} // namespace dispatch::concepts
