#pragma once

#include "common/parseresult.h"
#include "domain/triagereport.h"
#include "triage/triagetext.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <array>
#include <optional>

namespace dispatch {

// Weights toward each response type, indexed by ResponseType (Unknown unused).
using ResponseWeights = std::array<int, 4>;

// Lowers the severity of concepts that share a tag: "fire is out" caps "fire" and "smoke".
struct Deescalation
{
    QStringList tags;
    int maxSeverity = 1;
    bool clearCritical = true;
    // A clear retraction of the whole call ("called by mistake", "false alarm"). Only a
    // retraction, or a de-escalator naming the same finding (its tags), caps a critical finding.
    bool retraction = false;
};

// One thing a caller can describe ("not breathing", "gun", "smell gas"), with every way people
// say it and what it means for the assessment.
struct ConceptRule
{
    QString id;
    QString summary; // fragment for the situation summary: "not breathing"
    QStringList tags;
    QStringList phrases;         // as written in the rules file
    QList<QStringList> patterns; // normalized stems, same order as phrases
    ResponseWeights response{};  // contribution to the response type
    int severity = 0;            // 0: no severity of its own (a cue, a de-escalator)
    bool critical = false;
    QString criticalReason;
    int escalate = 0;            // +N to the severity of other concepts ...
    int escalateMinSeverity = 3; // ... when they are at least this severe
    std::optional<Deescalation> deescalate;
    bool negatable = false; // "not bleeding", "no weapon" turn it off
    QString negatedAs;      // concept id a negated mention means instead ("" = nothing)
    bool hedgeable = false; // "might pass out", "about to" turn it off
    QString hedgedAs;       // concept id a hedged mention means instead
    // A de-escalator in doubt ("not sure if she is breathing") is no reassurance; with this set
    // it is a finding: the concept id it means (breathing uncertain counts as not breathing).
    QString doubtedAs;
    bool keywordSpotting = true; // offer its phrases to the keyword spotter
};

// Fires when concepts carrying all of `required` (ids or tags) are present: fire + person inside.
struct CombinationRule
{
    QString id;
    QStringList required;
    QString summary;
    ResponseWeights response{};
    int severity = 0;
    bool critical = false;
    QString criticalReason;
};

enum class VitalsMeasure
{
    HeartRate,
    BreathingRate
};

struct VitalsRule
{
    QString id;
    VitalsMeasure measure = VitalsMeasure::HeartRate;
    std::optional<double> below; // fires when value < below
    std::optional<double> above; // fires when value > above
    double minConfidence = 0.6;  // readings with lower (or missing) confidence are ignored
    QString summary;
    ResponseWeights response{};
    int severity = 0;
    bool critical = false;
    QString criticalReason;
};

struct SilenceRule
{
    qint64 afterSpeechMs = 0; // 0 disables
    QString summary;
    int severity = 0;
    bool unresponsive = true; // sets the emotional state to Unresponsive
};

// Speech present but recognized with low confidence (noise, misrecognition): what was heard
// cannot rule anything out, so the call is not assessed as minor.
struct LowConfidenceRule
{
    int minSeverity = 0; // 0 disables
    QString summary;
};

// Critical findings the recognizer heard only in its alternative hypotheses (N-best): they
// raise the critical flag and severity (never the response type) when at least minSupport of
// a segment's alternatives state them. 0 disables.
struct AlternativesRule
{
    int minSupport = 0;
};

struct WeightedCue
{
    QString phrase;
    QStringList pattern;
    int weight = 1;
};

struct CanSpeakRules
{
    QList<WeightedCue> cues; // "hiding" 1, "he can hear me" 2, "can't talk" 2
    int threshold = 2;       // cue weight at which the caller is judged unable to speak freely
    bool typedTextMeansCannotSpeak = true;
};

struct EmotionRules
{
    QList<WeightedCue> panicCues;    // "help", "please hurry", "oh my god"
    QList<WeightedCue> distressCues; // "scared", "worried", "crying"
    int repeatedWordWeight = 1;      // "help help", "please please"
    int exclamationWeight = 1;       // "!" in typed text
    int panickedMinCues = 3;
    int panickedMinCuesIfCritical = 1;
    int distressedMinSeverity = 3;
};

struct TriageRules
{
    int version = 1;
    TextRules text;
    QList<ConceptRule> concepts;
    QList<CombinationRule> combinations;
    QList<VitalsRule> vitals;
    SilenceRule silence;
    LowConfidenceRule lowConfidence;
    AlternativesRule alternatives;
    CanSpeakRules canSpeak;
    EmotionRules emotion;
    QList<std::pair<QStringList, QString>> subjects; // pattern -> "husband", "child"

    const ConceptRule *concept(const QString &id) const;
    // Phrases for keyword spotting: single phrases without wildcards from concepts that allow it,
    // lowercase surface form, deduplicated.
    QStringList keyphrases() const;
};

// Validates a rules file. Errors name the JSON path ("concepts[3].phrases[1]") and say what is
// wrong; codes: "bad_json", "bad_field", "bad_reference", "duplicate".
Parsed<TriageRules> parseTriageRules(const QByteArray &json);
Parsed<TriageRules> loadTriageRules(const QString &path);

// The rules shipped with the console (":/triage/rules.json").
QString defaultTriageRulesPath();

} // namespace dispatch
