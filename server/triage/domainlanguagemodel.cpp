#include "triage/domainlanguagemodel.h"

#include <QHash>
#include <QMap>
#include <QSet>

#include <cmath>

namespace dispatch {

namespace {

constexpr double Discount = 0.5;

using Gram = QStringList;

QString key(const QStringList &words)
{
    return words.join(u' ');
}

QByteArray log10Text(double p)
{
    return QByteArray::number(p > 0 ? std::log10(p) : -99.0, 'f', 6);
}

} // namespace

QStringList domainSentences(const QStringList &phrases, const QStringList &subjects)
{
    static const QStringList carriers{
        QStringLiteral("%1"),
        QStringLiteral("he is %1"),
        QStringLiteral("she is %1"),
        QStringLiteral("he %1"),
        QStringLiteral("she %1"),
        QStringLiteral("there is %1"),
        QStringLiteral("i think %1"),
        QStringLiteral("please help %1"),
        QStringLiteral("%1 please hurry"),
        QStringLiteral("%1 and i do not know what to do"),
    };
    QStringList out;
    QSet<QString> seen;
    auto add = [&](const QString &s) {
        const QString t = s.simplified();
        if (!t.isEmpty() && !seen.contains(t)) {
            seen.insert(t);
            out.append(t);
        }
    };
    for (const QString &raw : phrases) {
        // Wildcards stand for a short word or two: "can't find * pulse" -> "can't find his pulse".
        QString p = raw.toLower();
        p.replace(QStringLiteral("*"), QStringLiteral("his"));
        for (const QString &c : carriers)
            add(c.arg(p));
        for (const QString &s : subjects)
            add(QStringLiteral("my %1 %2").arg(s, p));
    }
    return out;
}

QByteArray buildArpa(const QStringList &sentences)
{
    QHash<QString, int> c1, c2, c3;
    QHash<QString, int> followers2, followers1; // distinct next words per history
    int tokens = 0;
    for (const QString &s : sentences) {
        QStringList w{QStringLiteral("<s>")};
        w += s.split(u' ', Qt::SkipEmptyParts);
        w.append(QStringLiteral("</s>"));
        for (qsizetype i = 0; i < w.size(); ++i) {
            if (i > 0) { // <s> is never predicted
                ++c1[w.at(i)];
                ++tokens;
            }
            if (i >= 1) {
                const QString k = key(w.mid(i - 1, 2));
                if (c2[k]++ == 0)
                    ++followers1[w.at(i - 1)];
            }
            if (i >= 2) {
                const QString k = key(w.mid(i - 2, 3));
                if (c3[k]++ == 0)
                    ++followers2[key(w.mid(i - 2, 2))];
            }
        }
    }
    // History counts (how often a word or pair is followed by anything).
    QHash<QString, int> h1, h2;
    for (auto it = c2.cbegin(); it != c2.cend(); ++it)
        h1[it.key().section(u' ', 0, 0)] += it.value();
    for (auto it = c3.cbegin(); it != c3.cend(); ++it)
        h2[it.key().section(u' ', 0, 1)] += it.value();

    const int vocab = static_cast<int>(c1.size()); // <s> is never predicted
    QMap<QString, double> p1;
    for (auto it = c1.cbegin(); it != c1.cend(); ++it)
        p1[it.key()] = (it.value() + 1.0) / (tokens + vocab);
    auto prob1 = [&](const QString &w) { return p1.value(w, 0.0); };

    QMap<QString, double> p2;
    for (auto it = c2.cbegin(); it != c2.cend(); ++it)
        p2[it.key()] = (it.value() - Discount) / h1.value(it.key().section(u' ', 0, 0));
    // Backoff weight of a one-word history: the discounted mass over the unigram mass left.
    QMap<QString, double> bow1;
    {
        QHash<QString, double> seenMass;
        for (auto it = c2.cbegin(); it != c2.cend(); ++it)
            seenMass[it.key().section(u' ', 0, 0)] += prob1(it.key().section(u' ', 1, 1));
        for (auto it = h1.cbegin(); it != h1.cend(); ++it) {
            const double left = Discount * followers1.value(it.key()) / it.value();
            bow1[it.key()] = left / std::max(1e-9, 1.0 - seenMass.value(it.key()));
        }
    }
    auto prob2 = [&](const QString &a, const QString &b) {
        const auto it = p2.constFind(a + u' ' + b);
        return it != p2.cend() ? *it : bow1.value(a, 1.0) * prob1(b);
    };

    QMap<QString, double> p3;
    for (auto it = c3.cbegin(); it != c3.cend(); ++it)
        p3[it.key()] = (it.value() - Discount) / h2.value(it.key().section(u' ', 0, 1));
    QMap<QString, double> bow2;
    {
        QHash<QString, double> seenMass;
        for (auto it = c3.cbegin(); it != c3.cend(); ++it)
            seenMass[it.key().section(u' ', 0, 1)] +=
                prob2(it.key().section(u' ', 1, 1), it.key().section(u' ', 2, 2));
        for (auto it = h2.cbegin(); it != h2.cend(); ++it) {
            const double left = Discount * followers2.value(it.key()) / it.value();
            bow2[it.key()] = left / std::max(1e-9, 1.0 - seenMass.value(it.key()));
        }
    }

    QByteArray out = "\\data\\\n";
    out += "ngram 1=" + QByteArray::number(p1.size() + 1) + "\n";
    out += "ngram 2=" + QByteArray::number(p2.size()) + "\n";
    out += "ngram 3=" + QByteArray::number(p3.size()) + "\n\n\\1-grams:\n";
    out += "-99.000000 <s> " + log10Text(bow1.value(QStringLiteral("<s>"), 1.0)) + "\n";
    for (auto it = p1.cbegin(); it != p1.cend(); ++it) {
        out += log10Text(it.value()) + ' ' + it.key().toUtf8();
        if (bow1.contains(it.key()))
            out += ' ' + log10Text(bow1.value(it.key()));
        out += '\n';
    }
    out += "\n\\2-grams:\n";
    for (auto it = p2.cbegin(); it != p2.cend(); ++it) {
        out += log10Text(it.value()) + ' ' + it.key().toUtf8();
        if (bow2.contains(it.key()))
            out += ' ' + log10Text(bow2.value(it.key()));
        out += '\n';
    }
    out += "\n\\3-grams:\n";
    for (auto it = p3.cbegin(); it != p3.cend(); ++it)
        out += log10Text(it.value()) + ' ' + it.key().toUtf8() + '\n';
    out += "\n\\end\\\n";
    return out;
}

} // namespace dispatch
