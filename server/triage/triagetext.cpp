#include "triage/triagetext.h"

namespace dispatch {

namespace {

constexpr int WildcardMaxTokens = 2;

bool isVowel(QChar c)
{
    return c == u'a' || c == u'e' || c == u'i' || c == u'o' || c == u'u' || c == u'y';
}

// "he's" -> "he is", "isn't" -> "is not", "we're" -> "we are", "neighbor's" -> "neighbor".
QStringList expandContraction(const QString &word)
{
    static const QSet<QString> isSubjects = {
        QStringLiteral("he"),      QStringLiteral("she"),       QStringLiteral("it"),
        QStringLiteral("that"),    QStringLiteral("there"),     QStringLiteral("what"),
        QStringLiteral("who"),     QStringLiteral("here"),      QStringLiteral("where"),
        QStringLiteral("someone"), QStringLiteral("somebody"),  QStringLiteral("everyone"),
        QStringLiteral("nobody"),  QStringLiteral("everybody"), QStringLiteral("how")};
    const qsizetype apos = word.indexOf(u'\'');
    if (apos <= 0)
        return {word};
    const QString head = word.left(apos);
    const QString tail = word.mid(apos + 1);
    if (word == QLatin1String("can't"))
        return {QStringLiteral("can"), QStringLiteral("not")};
    if (word == QLatin1String("won't"))
        return {QStringLiteral("will"), QStringLiteral("not")};
    if (word == QLatin1String("ain't"))
        return {QStringLiteral("is"), QStringLiteral("not")};
    if (tail == QLatin1String("t") && head.endsWith(u'n'))
        return {head.chopped(1), QStringLiteral("not")};
    if (tail == QLatin1String("s"))
        return isSubjects.contains(head) ? QStringList{head, QStringLiteral("is")}
                                         : QStringList{head};
    if (tail == QLatin1String("re"))
        return {head, QStringLiteral("are")};
    if (tail == QLatin1String("m"))
        return {head, QStringLiteral("am")};
    if (tail == QLatin1String("ll"))
        return {head, QStringLiteral("will")};
    if (tail == QLatin1String("ve"))
        return {head, QStringLiteral("have")};
    if (tail == QLatin1String("d"))
        return {head, QStringLiteral("would")};
    return {head};
}

} // namespace

QString stemWord(const QString &word)
{
    QString w = word;
    if (w.size() <= 3)
        return w;
    if (w.endsWith(QLatin1String("ies")) && w.size() > 4)
        return w.chopped(3) + u'y';
    if (w.endsWith(QLatin1String("ing")) && w.size() > 5)
        w.chop(3);
    else if (w.endsWith(QLatin1String("ed")) && w.size() > 4)
        w.chop(2);
    else if (w.endsWith(u's') && !w.endsWith(QLatin1String("ss")) &&
             !w.endsWith(QLatin1String("us")) && !w.endsWith(QLatin1String("is")))
        w.chop(1);
    if (w.size() > 3 && w.endsWith(u'e') && !w.endsWith(QLatin1String("ee")))
        w.chop(1);
    const qsizetype n = w.size();
    if (n > 3 && w.at(n - 1) == w.at(n - 2) && !isVowel(w.at(n - 1)) && w.at(n - 1) != u'l' &&
        w.at(n - 1) != u's' && w.at(n - 1) != u'z')
        w.chop(1);
    return w;
}

QList<TextToken> tokenize(const QString &text, const TextRules &rules, int segment, int &clause)
{
    QList<TextToken> tokens;
    QString word;
    auto flush = [&] {
        if (word.isEmpty())
            return;
        while (word.startsWith(u'\''))
            word.remove(0, 1);
        while (word.endsWith(u'\''))
            word.chop(1);
        const QStringList parts = expandContraction(word);
        word.clear();
        for (const QString &part : parts) {
            const auto repl = rules.replacements.constFind(part);
            const QStringList words = repl == rules.replacements.cend()
                                          ? QStringList{part}
                                          : repl->split(u' ', Qt::SkipEmptyParts);
            for (const QString &w : words) {
                const QString stem = stemWord(w);
                if (rules.clauseBreaks.contains(stem)) {
                    ++clause;
                    continue;
                }
                tokens.append(TextToken{stem, w, clause, segment});
            }
        }
    };
    for (QChar c : text) {
        if (c == u'\u2019' || c == u'\u2018')
            c = u'\'';
        if (c.isLetterOrNumber() || c == u'\'') {
            word.append(c.toLower());
        } else {
            flush();
            if (c == u'.' || c == u',' || c == u';' || c == u'!' || c == u'?' || c == u':' ||
                c == u'\n')
                ++clause;
        }
    }
    flush();
    ++clause;
    return tokens;
}

QStringList phrasePattern(const QString &phrase, const TextRules &rules)
{
    QStringList pattern;
    const QStringList parts = phrase.trimmed().split(u' ', Qt::SkipEmptyParts);
    for (const QString &part : parts) {
        if (part == QLatin1String("*")) {
            pattern.append(part);
            continue;
        }
        int clause = 0;
        TextRules noBreaks = rules;
        noBreaks.clauseBreaks.clear();
        for (const TextToken &t : tokenize(part, noBreaks, 0, clause))
            pattern.append(t.stem);
    }
    return pattern;
}

namespace {

int matchFrom(const QList<TextToken> &tokens, qsizetype pos, int clause, const QStringList &pattern,
              qsizetype p)
{
    if (p == pattern.size())
        return 0;
    if (pattern.at(p) == QLatin1String("*")) {
        for (int skip = 0; skip <= WildcardMaxTokens; ++skip) {
            if (skip > 0 &&
                (pos + skip - 1 >= tokens.size() || tokens.at(pos + skip - 1).clause != clause))
                break;
            const int rest = matchFrom(tokens, pos + skip, clause, pattern, p + 1);
            if (rest >= 0)
                return skip + rest;
        }
        return -1;
    }
    if (pos >= tokens.size() || tokens.at(pos).clause != clause ||
        tokens.at(pos).stem != pattern.at(p))
        return -1;
    const int rest = matchFrom(tokens, pos + 1, clause, pattern, p + 1);
    return rest < 0 ? -1 : rest + 1;
}

} // namespace

int matchPattern(const QList<TextToken> &tokens, qsizetype start, const QStringList &pattern)
{
    if (pattern.isEmpty() || start >= tokens.size() || pattern.constFirst() == QLatin1String("*"))
        return 0;
    const int n = matchFrom(tokens, start, tokens.at(start).clause, pattern, 0);
    return n > 0 ? n : 0;
}

} // namespace dispatch
