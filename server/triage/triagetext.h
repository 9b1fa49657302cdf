#pragma once

#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

namespace dispatch {

// How caller text is normalized before the rules match it. Both the rules' phrases and the
// transcript go through the same steps, so a phrase written as people say it ("he stopped
// breathing") matches its variants ("stops breathing", "he's stopped breathing").
struct TextRules
{
    QHash<QString, QString>
        replacements;          // whole words: "gonna" -> "going to", "cannot" -> "can not"
    QSet<QString> negators;    // stems: "not", "no", "never", "nobody", ...
    int negationWindow = 3;    // tokens looked back within a clause
    QList<QStringList> hedges; // stem patterns: "might", "feel like", "about to"
    int hedgeWindow = 4;
    // Stem patterns that say the caller is unsure ("not sure if", "i think", "maybe", "can't
    // tell"). Uncertainty never lowers a critical finding and never lets a reassurance count.
    QList<QStringList> uncertainty;
    // Stem patterns that say a sign is present but not normal ("slow", "shallow", "funny"):
    // "he is breathing really slowly" is no reassurance.
    QList<QStringList> abnormal;
    QSet<QString> clauseBreaks; // stems that end a clause for negation and hedges: "but", ...
};

// One normalized word of caller text.
struct TextToken
{
    QString stem;
    QString surface; // the word as written or recognized, lowercase
    int clause = 0;  // tokens in different clauses never negate or hedge each other
    int segment = 0; // index of the transcript segment (or typed message) it came from
};

// Light, deterministic suffix stripping (-ing, -ed, -s, final -e, doubled consonant): enough to
// join "breathing/breathe/breathes" or "stabbed/stabbing/stab". Not a linguistic stemmer.
QString stemWord(const QString &word);

// Splits text into tokens: lowercase, apostrophes unified, contractions expanded ("isn't" -> "is
// not", "he's" -> "he is", possessive "'s" dropped), replacements applied, then stemmed.
// Punctuation and clause-break words start a new clause. `clause` is the first clause number to
// use; on return it is one past the last used.
QList<TextToken> tokenize(const QString &text, const TextRules &rules, int segment, int &clause);

// A rule phrase as a stem pattern. "*" stays as a wildcard for up to two words.
QStringList phrasePattern(const QString &phrase, const TextRules &rules);

// Matches `pattern` at tokens[start] within one clause; returns the number of tokens consumed or
// 0 for no match. A "*" consumes 0-2 tokens.
int matchPattern(const QList<TextToken> &tokens, qsizetype start, const QStringList &pattern);

} // namespace dispatch
