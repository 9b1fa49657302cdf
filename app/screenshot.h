#pragma once

#include <QString>

class QTextStream;
class QWidget;

namespace dispatch {

// --screenshot FILE --after S: renders `window` to a PNG after `afterMs` and ends the event loop
// (exit code 0 when written, 1 when not, with a line on `err`). Nothing when `path` is empty.
void scheduleScreenshot(QWidget *window, const QString &path, int afterMs, QTextStream &err);

} // namespace dispatch
