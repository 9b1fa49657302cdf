#include "triage/jsonreportextractor.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QLoggingCategory>

namespace dispatch {

namespace {
Q_LOGGING_CATEGORY(lcExtractor, "dispatch.triage.extractor")
} // namespace

JsonReportExtractor::JsonReportExtractor(qsizetype maxObjectChars)
    : m_maxObjectChars(maxObjectChars > 1 ? maxObjectChars : 2)
{}

void JsonReportExtractor::reset()
{
    m_buffer.clear();
    m_skipping = false;
    m_skipped = 0;
    resetScanner();
}

void JsonReportExtractor::resetScanner()
{
    m_pos = 0;
    m_depth = 0;
    m_inString = false;
    m_escape = false;
}

QList<QJsonObject> JsonReportExtractor::feed(const QString &chunk)
{
    QList<QJsonObject> out;
    m_fedChars += chunk.size();
    if (m_skipping) {
        // Discard the rest of an oversized object without storing it.
        qsizetype i = 0;
        for (; i < chunk.size() && m_skipping; ++i) {
            ++m_skipped;
            ++m_droppedChars;
            ++m_scannedChars;
            if (advance(chunk.at(i)))
                m_skipping = false;
            if (m_skipping && m_skipped >= SkipBudgetFactor * m_maxObjectChars)
                m_skipping = false; // give up on finding its end; resync at the next '{'
        }
        if (m_skipping)
            return out;
        resetScanner();
        m_buffer = chunk.mid(i);
    } else {
        m_buffer.append(chunk);
    }
    scan(out);
    return out;
}

bool JsonReportExtractor::advance(QChar c)
{
    if (m_inString) {
        if (m_escape)
            m_escape = false;
        else if (c == QLatin1Char('\\'))
            m_escape = true;
        else if (c == QLatin1Char('"'))
            m_inString = false;
    } else if (c == QLatin1Char('"')) {
        m_inString = true;
    } else if (c == QLatin1Char('{')) {
        ++m_depth;
    } else if (c == QLatin1Char('}')) {
        return --m_depth == 0;
    }
    return false;
}

void JsonReportExtractor::scan(QList<QJsonObject> &out)
{
    for (;;) {
        if (m_depth == 0) {
            // Outside any candidate: drop everything before the next '{'.
            const qsizetype start = m_buffer.indexOf(QLatin1Char('{'));
            if (start < 0) {
                m_buffer.clear();
                m_pos = 0;
                return;
            }
            m_buffer.remove(0, start);
            m_pos = 1;
            m_depth = 1;
            m_inString = false;
            m_escape = false;
        }

        qsizetype end = -1;
        for (; m_pos < m_buffer.size(); ++m_pos) {
            ++m_scannedChars;
            if (advance(m_buffer.at(m_pos))) {
                end = m_pos;
                break;
            }
        }

        if (end < 0) {
            if (m_buffer.size() > m_maxObjectChars) {
                ++m_droppedObjects;
                m_droppedChars += m_buffer.size();
                m_buffer.clear();
                m_skipping = true;
                m_skipped = 0;
                m_pos = 0;
            }
            return;
        }

        QJsonParseError error{};
        const QJsonDocument doc = QJsonDocument::fromJson(m_buffer.left(end + 1).toUtf8(), &error);
        if (error.error == QJsonParseError::NoError && doc.isObject()) {
            out.append(doc.object());
            m_buffer.remove(0, end + 1);
        } else if (m_scannedChars + end <= RescanBudgetFactor * m_fedChars) {
            // Not JSON after all: rescan from just after its opening brace.
            ++m_invalidObjects;
            m_buffer.remove(0, 1);
        } else {
            // Rescanning nested junk again and again would cost quadratic time: skip it whole.
            ++m_invalidObjects;
            ++m_abandonedCandidates;
            if (m_abandonedCandidates == 1 || m_abandonedCandidates % 1000 == 0)
                qCWarning(lcExtractor) << "abandoned candidates:" << m_abandonedCandidates << "-"
                                       << "skipped an invalid" << end + 1
                                       << "character candidate without looking inside: rescan "
                                          "budget spent";
            m_buffer.remove(0, end + 1);
        }
        resetScanner();
    }
}

} // namespace dispatch
