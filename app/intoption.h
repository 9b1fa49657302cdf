#pragma once

#include <QString>

#include <optional>

QT_BEGIN_NAMESPACE
class QCommandLineOption;
class QCommandLineParser;
QT_END_NAMESPACE

namespace dispatch {

// The value of an integer option, within [min, max]; otherwise nothing, and *error says so in
// one wording for every option ("--NAME takes MIN-MAX (not VALUE)").
std::optional<qint64> intOption(const QCommandLineParser &parser, const QCommandLineOption &option,
                                qint64 min, qint64 max, QString *error);

} // namespace dispatch
