#include "triage/triagerules.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <cmath>

namespace dispatch {

namespace {

constexpr qsizetype MaxRulesBytes = 4 * 1024 * 1024;
constexpr qsizetype MaxPhraseChars = 200;
constexpr qsizetype MaxPhraseWords = 12;
constexpr qsizetype MaxListItems = 2000;

// Thrown inside this file only, caught in parseTriageRules: keeps each field read to one line.
struct RulesError
{
    ProtocolError error;
};

[[noreturn]] void fail(const QString &path, const QString &why, const char *code = "bad_field")
{
    throw RulesError{ProtocolError{QString::fromLatin1(code), path + QStringLiteral(": ") + why}};
}

QString at(const QString &path, const char *key)
{
    return path.isEmpty() ? QString::fromLatin1(key) : path + u'.' + QString::fromLatin1(key);
}

QString at(const QString &path, qsizetype index)
{
    return path + u'[' + QString::number(index) + u']';
}

QJsonObject object(const QJsonValue &v, const QString &path)
{
    if (!v.isObject())
        fail(path, QStringLiteral("must be an object"));
    return v.toObject();
}

QJsonArray array(const QJsonObject &o, const QString &path, const char *key, bool required = false)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined() && !required)
        return {};
    if (!v.isArray())
        fail(at(path, key), QStringLiteral("must be an array"));
    if (v.toArray().size() > MaxListItems)
        fail(at(path, key), QStringLiteral("has more than %1 items").arg(MaxListItems));
    return v.toArray();
}

QString string(const QJsonObject &o, const QString &path, const char *key, bool required = false)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined() && !required)
        return {};
    if (!v.isString() || (required && v.toString().trimmed().isEmpty()))
        fail(at(path, key), QStringLiteral("must be a non-empty string"));
    if (v.toString().size() > TriageReport::MaxSummaryChars)
        fail(at(path, key),
             QStringLiteral("is longer than %1 characters").arg(TriageReport::MaxSummaryChars));
    return v.toString().trimmed();
}

double number(const QJsonObject &o, const QString &path, const char *key, double fallback,
              double min, double max)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined())
        return fallback;
    if (!v.isDouble() || !std::isfinite(v.toDouble()) || v.toDouble() < min || v.toDouble() > max)
        fail(at(path, key), QStringLiteral("must be a number from %1 to %2").arg(min).arg(max));
    return v.toDouble();
}

int integer(const QJsonObject &o, const QString &path, const char *key, int fallback, int min,
            int max)
{
    const double d = number(o, path, key, fallback, min, max);
    if (d != std::floor(d))
        fail(at(path, key), QStringLiteral("must be a whole number"));
    return static_cast<int>(d);
}

bool boolean(const QJsonObject &o, const QString &path, const char *key, bool fallback)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined())
        return fallback;
    if (!v.isBool())
        fail(at(path, key), QStringLiteral("must be true or false"));
    return v.toBool();
}

QStringList strings(const QJsonObject &o, const QString &path, const char *key,
                    bool required = false)
{
    QStringList out;
    const QJsonArray a = array(o, path, key, required);
    if (required && a.isEmpty())
        fail(at(path, key), QStringLiteral("must not be empty"));
    for (qsizetype i = 0; i < a.size(); ++i) {
        const QString p = at(at(path, key), i);
        if (!a.at(i).isString() || a.at(i).toString().trimmed().isEmpty())
            fail(p, QStringLiteral("must be a non-empty string"));
        if (a.at(i).toString().size() > MaxPhraseChars)
            fail(p, QStringLiteral("is longer than %1 characters").arg(MaxPhraseChars));
        out.append(a.at(i).toString().trimmed().toLower());
    }
    return out;
}

QStringList pattern(const QString &phrase, const TextRules &text, const QString &path)
{
    const QStringList p = phrasePattern(phrase, text);
    if (p.isEmpty())
        fail(path, QStringLiteral("\"%1\" has no words").arg(phrase));
    if (p.size() > MaxPhraseWords)
        fail(path, QStringLiteral("\"%1\" has more than %2 words").arg(phrase).arg(MaxPhraseWords));
    if (p.constFirst() == QLatin1String("*") || p.constLast() == QLatin1String("*"))
        fail(path, QStringLiteral("\"%1\" must not start or end with *").arg(phrase));
    for (const QString &w : phrase.split(u' ', Qt::SkipEmptyParts)) {
        if (text.clauseBreaks.contains(stemWord(w)))
            fail(path, QStringLiteral("\"%1\" contains the clause break \"%2\", so it can never "
                                      "match")
                           .arg(phrase, w));
    }
    return p;
}

ResponseWeights response(const QJsonObject &o, const QString &path)
{
    ResponseWeights w{};
    const QJsonValue v = o.value(QLatin1String("response"));
    if (v.isUndefined())
        return w;
    const QJsonObject r = object(v, at(path, "response"));
    for (auto it = r.begin(); it != r.end(); ++it) {
        const auto type = responseTypeFromString(it.key());
        if (!type || *type == ResponseType::Unknown)
            fail(at(path, "response"),
                 QStringLiteral("unknown response type \"%1\" (medical, police, fire)")
                     .arg(it.key()));
        const QByteArray key = it.key().toLatin1();
        w[static_cast<size_t>(*type)] =
            integer(r, at(path, "response"), key.constData(), 0, 0, 100);
    }
    return w;
}

QList<WeightedCue> cues(const QJsonObject &o, const QString &path, const char *key,
                        const TextRules &text)
{
    QList<WeightedCue> out;
    const QJsonArray a = array(o, path, key);
    for (qsizetype i = 0; i < a.size(); ++i) {
        const QString p = at(at(path, key), i);
        WeightedCue cue;
        if (a.at(i).isString()) {
            cue.phrase = a.at(i).toString().trimmed().toLower();
        } else {
            const QJsonObject c = object(a.at(i), p);
            cue.phrase = string(c, p, "phrase", true).toLower();
            cue.weight = integer(c, p, "weight", 1, 0, 10);
        }
        cue.pattern = pattern(cue.phrase, text, p);
        out.append(cue);
    }
    return out;
}

TextRules parseText(const QJsonObject &root)
{
    TextRules t;
    const QString path = QStringLiteral("text");
    const QJsonObject o = object(root.value(QLatin1String("text")), path);
    const QJsonValue repl = o.value(QLatin1String("replacements"));
    if (!repl.isUndefined()) {
        const QJsonObject r = object(repl, at(path, "replacements"));
        for (auto it = r.begin(); it != r.end(); ++it) {
            if (!it.value().isString())
                fail(at(at(path, "replacements"), it.key().toLatin1().constData()),
                     QStringLiteral("must be a string"));
            t.replacements.insert(it.key().toLower(), it.value().toString().toLower());
        }
    }
    for (const QString &w : strings(o, path, "clause_breaks"))
        t.clauseBreaks.insert(stemWord(w));
    for (const QString &w : strings(o, path, "negators")) {
        if (w.contains(u' '))
            fail(at(path, "negators"), QStringLiteral("\"%1\": negators are single words").arg(w));
        int clause = 0;
        for (const TextToken &tok : tokenize(w, TextRules{}, 0, clause))
            t.negators.insert(tok.stem);
    }
    t.negationWindow = integer(o, path, "negation_window", 3, 1, 8);
    for (const QString &h : strings(o, path, "hedges"))
        t.hedges.append(pattern(h, t, at(path, "hedges")));
    t.hedgeWindow = integer(o, path, "hedge_window", 4, 1, 8);
    for (const QString &h : strings(o, path, "uncertainty"))
        t.uncertainty.append(pattern(h, t, at(path, "uncertainty")));
    for (const QString &h : strings(o, path, "abnormal"))
        t.abnormal.append(pattern(h, t, at(path, "abnormal")));
    return t;
}

ConceptRule parseConcept(const QJsonObject &o, const QString &path, const TextRules &text)
{
    ConceptRule c;
    c.id = string(o, path, "id", true);
    c.summary = string(o, path, "summary");
    c.tags = strings(o, path, "tags");
    c.phrases = strings(o, path, "phrases", true);
    for (qsizetype i = 0; i < c.phrases.size(); ++i)
        c.patterns.append(pattern(c.phrases.at(i), text, at(at(path, "phrases"), i)));
    c.response = response(o, path);
    c.severity = integer(o, path, "severity", 0, 0, TriageReport::MaxSeverity);
    c.critical = boolean(o, path, "critical", false);
    c.criticalReason = string(o, path, "critical_reason");
    if (c.critical && c.criticalReason.isEmpty())
        fail(at(path, "critical_reason"), QStringLiteral("a critical concept needs a reason"));
    c.escalate = integer(o, path, "escalate", 0, 0, 4);
    c.escalateMinSeverity =
        integer(o, path, "escalate_min_severity", 3, 0, TriageReport::MaxSeverity);
    const QJsonValue d = o.value(QLatin1String("deescalate"));
    if (!d.isUndefined()) {
        const QString dp = at(path, "deescalate");
        const QJsonObject dob = object(d, dp);
        Deescalation de;
        de.tags = strings(dob, dp, "tags", true);
        de.maxSeverity = integer(dob, dp, "max_severity", 1, 1, TriageReport::MaxSeverity);
        de.clearCritical = boolean(dob, dp, "clear_critical", true);
        de.retraction = boolean(dob, dp, "retraction", false);
        c.deescalate = de;
    }
    c.negatable = boolean(o, path, "negatable", false);
    c.negatedAs = string(o, path, "negated_as");
    c.hedgeable = boolean(o, path, "hedgeable", false);
    c.hedgedAs = string(o, path, "hedged_as");
    c.doubtedAs = string(o, path, "doubted_as");
    // By default the spotter listens for what matters when the recognizer is degraded.
    c.keywordSpotting = boolean(o, path, "keyword_spotting",
                                c.severity >= 3 || c.critical || c.deescalate.has_value());
    if (!c.negatedAs.isEmpty() && !c.negatable)
        fail(at(path, "negated_as"), QStringLiteral("needs \"negatable\": true"));
    if (!c.hedgedAs.isEmpty() && !c.hedgeable)
        fail(at(path, "hedged_as"), QStringLiteral("needs \"hedgeable\": true"));
    if (!c.doubtedAs.isEmpty() && !c.deescalate)
        fail(at(path, "doubted_as"), QStringLiteral("only a de-escalator can be doubted"));
    return c;
}

VitalsRule parseVitals(const QJsonObject &o, const QString &path)
{
    VitalsRule v;
    v.id = string(o, path, "id", true);
    const QString measure = string(o, path, "measure", true);
    if (measure == QLatin1String("heart_rate"))
        v.measure = VitalsMeasure::HeartRate;
    else if (measure == QLatin1String("breathing_rate"))
        v.measure = VitalsMeasure::BreathingRate;
    else
        fail(at(path, "measure"),
             QStringLiteral("\"%1\" is not heart_rate or breathing_rate").arg(measure));
    if (o.contains(QLatin1String("below")))
        v.below = number(o, path, "below", 0, 0, 1000);
    if (o.contains(QLatin1String("above")))
        v.above = number(o, path, "above", 0, 0, 1000);
    if (!v.below && !v.above)
        fail(path, QStringLiteral("needs \"below\" or \"above\""));
    v.minConfidence = number(o, path, "min_confidence", 0.6, 0, 1);
    v.summary = string(o, path, "summary", true);
    v.response = response(o, path);
    v.severity = integer(o, path, "severity", 0, 0, TriageReport::MaxSeverity);
    v.critical = boolean(o, path, "critical", false);
    v.criticalReason = string(o, path, "critical_reason");
    if (v.critical && v.criticalReason.isEmpty())
        fail(at(path, "critical_reason"), QStringLiteral("a critical rule needs a reason"));
    return v;
}

TriageRules parseRoot(const QJsonObject &root)
{
    TriageRules rules;
    rules.version = integer(root, QString(), "version", 0, 0, 1000);
    if (rules.version != 1)
        fail(QStringLiteral("version"), QStringLiteral("only version 1 is understood"));
    rules.text = parseText(root);

    const QJsonArray concepts = array(root, QString(), "concepts", true);
    QSet<QString> ids;
    for (qsizetype i = 0; i < concepts.size(); ++i) {
        const QString p = at(QStringLiteral("concepts"), i);
        ConceptRule c = parseConcept(object(concepts.at(i), p), p, rules.text);
        if (ids.contains(c.id))
            fail(p, QStringLiteral("duplicate concept id \"%1\"").arg(c.id), "duplicate");
        ids.insert(c.id);
        rules.concepts.append(c);
    }
    QSet<QString> known = ids;
    known.insert(QStringLiteral("*")); // de-escalates every concept (a false alarm)
    for (const ConceptRule &c : std::as_const(rules.concepts))
        for (const QString &t : c.tags)
            known.insert(t);
    for (qsizetype i = 0; i < rules.concepts.size(); ++i) {
        const ConceptRule &c = rules.concepts.at(i);
        const QString p = at(QStringLiteral("concepts"), i);
        for (const QString &ref : {c.negatedAs, c.hedgedAs, c.doubtedAs})
            if (!ref.isEmpty() && !ids.contains(ref))
                fail(p, QStringLiteral("refers to unknown concept \"%1\"").arg(ref),
                     "bad_reference");
        if (c.deescalate)
            for (const QString &t : c.deescalate->tags)
                if (!known.contains(t))
                    fail(at(p, "deescalate"), QStringLiteral("unknown tag \"%1\"").arg(t),
                         "bad_reference");
    }

    const QJsonArray combos = array(root, QString(), "combinations");
    for (qsizetype i = 0; i < combos.size(); ++i) {
        const QString p = at(QStringLiteral("combinations"), i);
        const QJsonObject o = object(combos.at(i), p);
        CombinationRule c;
        c.id = string(o, p, "id", true);
        c.required = strings(o, p, "requires", true);
        for (const QString &r : std::as_const(c.required))
            if (!known.contains(r))
                fail(at(p, "requires"), QStringLiteral("unknown concept or tag \"%1\"").arg(r),
                     "bad_reference");
        c.summary = string(o, p, "summary", true);
        c.response = response(o, p);
        c.severity = integer(o, p, "severity", 0, 0, TriageReport::MaxSeverity);
        c.critical = boolean(o, p, "critical", false);
        c.criticalReason = string(o, p, "critical_reason");
        if (c.critical && c.criticalReason.isEmpty())
            fail(at(p, "critical_reason"), QStringLiteral("a critical rule needs a reason"));
        rules.combinations.append(c);
    }

    const QJsonArray vitals = array(root, QString(), "vitals");
    for (qsizetype i = 0; i < vitals.size(); ++i) {
        const QString p = at(QStringLiteral("vitals"), i);
        rules.vitals.append(parseVitals(object(vitals.at(i), p), p));
    }

    if (root.contains(QLatin1String("low_confidence"))) {
        const QString p = QStringLiteral("low_confidence");
        const QJsonObject o = object(root.value(QLatin1String("low_confidence")), p);
        rules.lowConfidence.minSeverity =
            integer(o, p, "min_severity", 0, 0, TriageReport::MaxSeverity);
        rules.lowConfidence.summary = string(o, p, "summary", true);
    }
    if (root.contains(QLatin1String("alternatives"))) {
        const QString p = QStringLiteral("alternatives");
        const QJsonObject o = object(root.value(QLatin1String("alternatives")), p);
        rules.alternatives.minSupport = integer(o, p, "min_support", 0, 0, 100);
    }
    if (root.contains(QLatin1String("silence"))) {
        const QString p = QStringLiteral("silence");
        const QJsonObject o = object(root.value(QLatin1String("silence")), p);
        rules.silence.afterSpeechMs =
            static_cast<qint64>(number(o, p, "after_speech_seconds", 0, 0, 3600) * 1000);
        rules.silence.summary = string(o, p, "summary", true);
        rules.silence.severity = integer(o, p, "severity", 0, 0, TriageReport::MaxSeverity);
        rules.silence.unresponsive = boolean(o, p, "unresponsive", true);
    }

    if (root.contains(QLatin1String("can_speak"))) {
        const QString p = QStringLiteral("can_speak");
        const QJsonObject o = object(root.value(QLatin1String("can_speak")), p);
        rules.canSpeak.cues = cues(o, p, "cues", rules.text);
        rules.canSpeak.threshold = integer(o, p, "threshold", 2, 1, 100);
        rules.canSpeak.typedTextMeansCannotSpeak = boolean(o, p, "typed_text", true);
    }

    if (root.contains(QLatin1String("emotion"))) {
        const QString p = QStringLiteral("emotion");
        const QJsonObject o = object(root.value(QLatin1String("emotion")), p);
        EmotionRules &e = rules.emotion;
        e.panicCues = cues(o, p, "panic_cues", rules.text);
        e.distressCues = cues(o, p, "distress_cues", rules.text);
        e.repeatedWordWeight = integer(o, p, "repeated_word_weight", 1, 0, 10);
        e.exclamationWeight = integer(o, p, "exclamation_weight", 1, 0, 10);
        e.panickedMinCues = integer(o, p, "panicked_min_cues", 3, 1, 100);
        e.panickedMinCuesIfCritical = integer(o, p, "panicked_min_cues_if_critical", 1, 0, 100);
        e.distressedMinSeverity =
            integer(o, p, "distressed_min_severity", 3, 1, TriageReport::MaxSeverity);
    }

    if (root.contains(QLatin1String("subjects"))) {
        const QString p = QStringLiteral("subjects");
        const QJsonObject o = object(root.value(QLatin1String("subjects")), p);
        for (auto it = o.begin(); it != o.end(); ++it) {
            const QString sp = at(p, it.key().toLatin1().constData());
            if (!it.value().isString())
                fail(sp, QStringLiteral("must be a string"));
            rules.subjects.append(
                {pattern(it.key().toLower(), rules.text, sp), it.value().toString()});
        }
    }
    return rules;
}

} // namespace

const ConceptRule *TriageRules::concept(const QString &id) const
{
    for (const ConceptRule &c : concepts)
        if (c.id == id)
            return &c;
    return nullptr;
}

QStringList TriageRules::keyphrases() const
{
    QStringList out;
    for (const ConceptRule &c : concepts) {
        if (!c.keywordSpotting)
            continue;
        for (const QString &p : c.phrases)
            if (!p.contains(u'*') && !out.contains(p))
                out.append(p);
    }
    return out;
}

Parsed<TriageRules> parseTriageRules(const QByteArray &json)
{
    if (json.size() > MaxRulesBytes)
        return ProtocolError{
            QStringLiteral("bad_json"),
            QStringLiteral("rules file is larger than %1 bytes").arg(MaxRulesBytes)};
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &err);
    if (err.error != QJsonParseError::NoError) {
        // Report a line number: people edit this file by hand.
        const int line = json.left(err.offset).count('\n') + 1;
        return ProtocolError{QStringLiteral("bad_json"),
                             QStringLiteral("line %1: %2").arg(line).arg(err.errorString())};
    }
    if (!doc.isObject())
        return ProtocolError{QStringLiteral("bad_json"),
                             QStringLiteral("the rules file must be a JSON object")};
    try {
        return parseRoot(doc.object());
    } catch (const RulesError &e) {
        return e.error;
    }
}

Parsed<TriageRules> loadTriageRules(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return ProtocolError{QStringLiteral("io_error"),
                             QStringLiteral("%1: %2").arg(path, f.errorString())};
    auto parsed = parseTriageRules(f.read(MaxRulesBytes + 1));
    if (!parsed)
        return ProtocolError{parsed.error().code,
                             path + QStringLiteral(": ") + parsed.error().message};
    return parsed;
}

QString defaultTriageRulesPath()
{
    return QStringLiteral(":/triage/rules.json");
}

} // namespace dispatch
