#pragma once

#include <QByteArray>
#include <QString>
#include <QStringView>

namespace dispatch {

// A peer-supplied string (a header, a path, a call id, a message field) made safe to put in a
// log line: control characters (C0, DEL, C1), bidirectional and other invisible format
// characters and backslashes are escaped (\n, \t, \x1b, \u202e, \\), so a peer cannot forge log
// lines, drive a terminal with escape sequences or hide text; at most `maxChars` characters are
// kept, with a note of how many were cut.
QString logSafe(QStringView text, qsizetype maxChars = 200);
// Bytes as UTF-8 (invalid sequences become U+FFFD), then as above.
QString logSafe(const QByteArray &bytes, qsizetype maxChars = 200);

} // namespace dispatch
