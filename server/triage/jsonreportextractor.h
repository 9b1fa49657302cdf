#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

namespace dispatch {

// Pulls complete JSON objects out of streamed model text (TEXT modality, or an output
// transcription): chunks may split anywhere, objects may sit in ```json fences, between prose, or
// inside a top-level array (each element comes out on its own). Braces inside strings and escaped
// quotes are handled. A balanced {...} that is not valid JSON is counted as invalid and scanning
// resumes one character after its opening brace, so a real object nested in junk is still found.
//
// Memory is bounded: an object that grows beyond `maxObjectChars` is dropped (counted); the
// extractor then skips to the end of that object (tracking nesting, at most another
// SkipBudgetFactor * `maxObjectChars`, no storage) so none of its inner objects is reported.
// Known limit: an unbalanced '{' in prose swallows what follows until the bound is reached.
//
// Time is bounded too: rescanning inside invalid candidates is quadratic for nested junk
// ("{a{a{a...}}}"), so it is only done while the characters lexed stay within
// RescanBudgetFactor times the characters fed; beyond that an invalid candidate is skipped whole
// (counted in invalidObjects and abandonedCandidates, and logged).
class JsonReportExtractor
{
public:
    static constexpr qsizetype DefaultMaxObjectChars = 64 * 1024;
    static constexpr qsizetype SkipBudgetFactor = 8;
    static constexpr qsizetype RescanBudgetFactor = 8;

    explicit JsonReportExtractor(qsizetype maxObjectChars = DefaultMaxObjectChars);

    // Appends a chunk and returns the objects it completed, in stream order.
    QList<QJsonObject> feed(const QString &chunk);
    // Forgets any partial object (e.g. at the end of a model turn). Counters are kept.
    void reset();

    qsizetype bufferedChars() const { return m_buffer.size(); }
    int droppedObjects() const { return m_droppedObjects; }
    qsizetype droppedChars() const { return m_droppedChars; }
    int invalidObjects() const { return m_invalidObjects; }
    int abandonedCandidates() const { return m_abandonedCandidates; }
    // Work done: characters fed, and characters lexed (rescans included).
    qsizetype fedChars() const { return m_fedChars; }
    qsizetype scannedChars() const { return m_scannedChars; }

private:
    void resetScanner();
    // One character of the JSON lexer (strings, escapes, brace depth); true when it closes the
    // outermost object.
    bool advance(QChar c);
    void scan(QList<QJsonObject> &out);

    qsizetype m_maxObjectChars;
    QString m_buffer; // starts at the '{' of the current candidate (empty when outside)
    qsizetype m_pos = 0;
    int m_depth = 0;
    bool m_inString = false;
    bool m_escape = false;
    bool m_skipping = false; // inside an oversized object that is being discarded
    qsizetype m_skipped = 0;
    int m_droppedObjects = 0;
    qsizetype m_droppedChars = 0;
    int m_invalidObjects = 0;
    int m_abandonedCandidates = 0;
    qsizetype m_fedChars = 0;
    qsizetype m_scannedChars = 0;
};

} // namespace dispatch
