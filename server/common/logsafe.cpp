#include "common/logsafe.h"

#include <algorithm>

namespace dispatch {

namespace {

bool needsEscape(char32_t c)
{
    return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || // C0, DEL, C1 controls
           c == 0x061C || c == 0x200B || c == 0x200E || c == 0x200F || c == 0xFEFF ||
           (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || // bidi controls
           c == 0x2028 || c == 0x2029;                                     // line separators
}

// Escapes up to maxChars characters of text into out; returns how many characters were used.
qsizetype escapeInto(QStringView text, qsizetype maxChars, QString *out)
{
    out->reserve(std::min(text.size(), maxChars) + 16);
    qsizetype kept = 0;
    qsizetype i = 0;
    for (; i < text.size() && kept < maxChars; ++i, ++kept) {
        const QChar c = text.at(i);
        const char16_t u = c.unicode();
        if (u == u'\\') {
            *out += QLatin1String("\\\\");
        } else if (u == u'\n') {
            *out += QLatin1String("\\n");
        } else if (u == u'\r') {
            *out += QLatin1String("\\r");
        } else if (u == u'\t') {
            *out += QLatin1String("\\t");
        } else if (c.isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate()) {
            *out += c; // a valid pair is kept as it is
            *out += text.at(++i);
        } else if (needsEscape(u) || c.isSurrogate()) {
            *out += u < 0x100 ? QStringLiteral("\\x%1").arg(int(u), 2, 16, QLatin1Char('0'))
                              : QStringLiteral("\\u%1").arg(int(u), 4, 16, QLatin1Char('0'));
        } else {
            *out += c;
        }
    }
    return i;
}

} // namespace

QString logSafe(QStringView text, qsizetype maxChars)
{
    QString out;
    const qsizetype used = escapeInto(text, maxChars, &out);
    if (used < text.size())
        out += QStringLiteral("...(%1 more characters)").arg(text.size() - used);
    return out;
}

QString logSafe(const QByteArray &bytes, qsizetype maxChars)
{
    // Decodes no more than could be kept (a character is at most 4 bytes of UTF-8).
    const qsizetype cut = std::min(bytes.size(), maxChars * 4 + 4);
    const QString text = QString::fromUtf8(bytes.constData(), cut);
    QString out;
    const qsizetype used = escapeInto(text, maxChars, &out);
    if (used < text.size() || cut < bytes.size())
        out += QStringLiteral("...(%1 bytes in all)").arg(bytes.size());
    return out;
}

} // namespace dispatch
