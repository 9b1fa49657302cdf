#include "triage/rulesengine.h"

#include "triage/alternativefindings.h"
#include "triage/conceptmatching.h"

#include <QHash>
#include <QSet>

#include <algorithm>

namespace dispatch {

namespace {

using namespace concepts;

constexpr qsizetype MaxProvenance = 60;
constexpr qsizetype MaxSummaryItems = 6;

// One concept as the call has mentioned it.
struct Mention
{
    const ConceptRule *rule = nullptr;
    qsizetype first = 0;
    qsizetype last = 0;
    QStringList surfaces;
    int severity = 0; // after de-escalation
    bool critical = false;
    QString cappedBy;
    // Heard at least once by full recognition or typed; a mention only keyword-spotted is a
    // lead: it never sets the response type or the critical flag and never de-escalates.
    bool confirmed = false;
    // Heard only in an alternative hypothesis (N-best): raises severity and the critical flag,
    // never the response type, and takes no part in combinations.
    bool alternative = false;
    bool firstPerson = false; // a reassurance about the caller ("i am fine", "we are okay")
    bool shownInSummary = true;
};

const QString KeywordsPrefix = QStringLiteral("[keywords]");

int countCues(const QList<WeightedCue> &cues, const QList<TextToken> &tokens, QStringList *found)
{
    int total = 0;
    for (qsizetype i = 0; i < tokens.size(); ++i) {
        for (const WeightedCue &c : cues) {
            if (const int n = matchPattern(tokens, i, c.pattern); n > 0) {
                total += c.weight;
                if (found && !found->contains(c.phrase))
                    found->append(c.phrase);
                break;
            }
        }
    }
    return total;
}

bool hasTag(const ConceptRule &c, const QString &tag)
{
    return c.id == tag || c.tags.contains(tag);
}

ResponseType strongest(const ResponseWeights &w, ResponseType tieBreak)
{
    int best = 0;
    ResponseType type = ResponseType::Unknown;
    for (auto t : {ResponseType::Medical, ResponseType::Police, ResponseType::Fire}) {
        const int v = w[static_cast<size_t>(t)];
        if (v > best || (v == best && v > 0 && t == tieBreak)) {
            best = v;
            type = t;
        }
    }
    return type;
}

ResponseType dominant(const ResponseWeights &w)
{
    return strongest(w, ResponseType::Unknown);
}

void add(ResponseWeights &sum, const ResponseWeights &w)
{
    for (size_t i = 0; i < sum.size(); ++i)
        sum[i] += w[i];
}

QString capitalized(QString s)
{
    if (!s.isEmpty())
        s[0] = s.at(0).toUpper();
    return s;
}

std::optional<double> reading(const VitalsSample &v, VitalsMeasure m, double *confidence)
{
    const bool hr = m == VitalsMeasure::HeartRate;
    *confidence = (hr ? v.heartRateConfidence : v.breathingConfidence).value_or(0);
    return hr ? v.heartRate : v.breathingRate;
}

} // namespace

bool hasEvidence(const TriageInput &input)
{
    for (const TranscriptSegment &s : input.segments)
        if ((s.speaker == Speaker::Caller || s.speaker == Speaker::CallerText) &&
            !s.text.trimmed().isEmpty())
            return true;
    return input.vitals.has_value() || input.silenceAfterSpeechMs > 0;
}

TriageReport assessTriage(const TriageRules &rules, const TriageInput &input)
{
    TriageReport report;
    report.source = TriageSource::Local;
    QList<TriageEvidence> &prov = report.provenance;
    auto evidence = [&prov](const char *field, const QString &what, const QString &detail) {
        if (prov.size() < MaxProvenance)
            prov.append(TriageEvidence{QString::fromLatin1(field), what, detail});
    };

    // 1. Caller words, one token stream across segments.
    QList<TextToken> tokens;
    int clause = 0;
    bool typed = false;
    bool spoke = false;
    int exclamations = 0;
    QSet<int> spotted; // segments that hold keyword-spotting hits, not recognized speech
    for (qsizetype s = 0; s < input.segments.size(); ++s) {
        const TranscriptSegment &seg = input.segments.at(s);
        if (seg.speaker != Speaker::Caller && seg.speaker != Speaker::CallerText)
            continue;
        QString text = seg.text.trimmed();
        if (seg.speaker == Speaker::Caller &&
            (input.keywordSpottingOnly || text.startsWith(KeywordsPrefix))) {
            spotted.insert(static_cast<int>(s));
            if (text.startsWith(KeywordsPrefix))
                text = text.mid(KeywordsPrefix.size()).trimmed();
        }
        if (text.isEmpty())
            continue;
        (seg.speaker == Speaker::CallerText ? typed : spoke) = true;
        if (seg.speaker == Speaker::CallerText)
            exclamations += static_cast<int>(seg.text.count(u'!'));
        tokens += tokenize(text, rules.text, static_cast<int>(s), clause);
    }
    if (!spotted.isEmpty())
        evidence("transcript", QStringLiteral("keyword spotting only"),
                 QStringLiteral("the recognizer is degraded: only listed phrases are heard; "
                                "they set no response type or critical flag"));
    if (!input.lowConfidenceSegments.isEmpty())
        evidence("transcript", QStringLiteral("low-confidence recognition"),
                 QStringLiteral("%1 segment(s) the recognizer was unsure of: they never lower "
                                "the assessment")
                     .arg(input.lowConfidenceSegments.size()));

    // 2. Concepts, after negation and hedging.
    QList<Mention> mentions;
    QHash<const ConceptRule *, qsizetype> index;
    QList<bool> matched;
    QMultiHash<int, const ConceptRule *> negatedIn; // segment -> concepts its best hyp. negates
    for (const Match &m : findMatches(rules, tokens, &matched)) {
        const ConceptRule *rule = m.rule;
        const QString said = surface(tokens, m.start, m.length);
        const QString context = surface(tokens, std::max<qsizetype>(0, m.start - 3),
                                        std::min<qsizetype>(m.start, 3) + m.length);
        const int segment = tokens.at(m.start).segment;
        const bool heard = !spotted.contains(segment);
        // Words the recognizer was unsure of may raise but never lower an assessment.
        const bool sure = heard && !input.lowConfidenceSegments.contains(segment);
        const Qualifier q = heard ? qualifier(rules.text, tokens, matched, m) : Qualifier::None;
        if (rule->deescalate && !sure) {
            // A reassurance needs to be heard clearly: spotted or unsure words lower nothing.
            evidence("ignored", said,
                     QStringLiteral("%1 reassurance %2 ignored")
                         .arg(heard ? QStringLiteral("low-confidence")
                                    : QStringLiteral("keyword-spotted"),
                              rule->id));
            continue;
        }
        const bool negation = rule->negatable && heard && negated(rules.text, tokens, matched, m);
        if (negation && !sure && rule->critical) {
            evidence("ignored", context,
                     QStringLiteral("low-confidence negation of %1 ignored").arg(rule->id));
        } else if (negation) {
            evidence("ignored", context, QStringLiteral("negated mention of %1").arg(rule->id));
            negatedIn.insert(segment, rule);
            rule = rule->negatedAs.isEmpty() ? nullptr : rules.concept(rule->negatedAs);
        } else if (rule->deescalate &&
                   (q != Qualifier::None || qualifiedAfter(rules.text.uncertainty, tokens, m, 3) ||
                    qualifiedAfter(rules.text.abnormal, tokens, m, 4))) {
            // "not sure if she is breathing" is no news that she breathes...
            evidence(
                "ignored", context,
                QStringLiteral("uncertain or conditional reassurance %1 ignored").arg(rule->id));
            // ...and, as in protocol-based dispatch, a vital sign in doubt counts as absent.
            const bool doubted =
                q == Qualifier::Uncertain || qualifiedAfter(rules.text.uncertainty, tokens, m, 3);
            if (!doubted || rule->doubtedAs.isEmpty())
                continue;
            evidence("uncertain", context,
                     QStringLiteral("doubt about %1 counts as %2").arg(rule->id, rule->doubtedAs));
            rule = rules.concept(rule->doubtedAs);
        } else if (q == Qualifier::Uncertain) {
            // Uncertainty keeps the higher severity: "maybe he is not breathing" stays critical.
            evidence("uncertain", context,
                     QStringLiteral("uncertain mention of %1 kept").arg(rule->id));
        } else if (rule->hedgeable && q == Qualifier::Hedge) {
            evidence("ignored", context, QStringLiteral("hedged mention of %1").arg(rule->id));
            rule = rule->hedgedAs.isEmpty() ? nullptr : rules.concept(rule->hedgedAs);
        }
        if (!rule)
            continue;
        const QString shown = rule == m.rule ? said : context;
        auto it = index.constFind(rule);
        if (it == index.cend()) {
            index.insert(rule, mentions.size());
            Mention mention{rule, m.start, m.start, {shown}, rule->severity, rule->critical, {}};
            mention.confirmed = heard;
            mention.firstPerson = rule->deescalate && aboutCaller(tokens, m);
            mentions.append(mention);
        } else {
            Mention &mention = mentions[*it];
            mention.last = m.start;
            mention.confirmed = mention.confirmed || heard;
            if (!mention.surfaces.contains(shown))
                mention.surfaces.append(shown);
        }
    }

    // 2b. Critical findings only in an alternative hypothesis of a segment (N-best): protocol
    // errs toward the higher category, so one the best hypothesis neither states nor negates
    // counts. It is placed at the start of its segment: a reassurance of the same finding in
    // the best hypothesis of that segment or later still caps it.
    for (const AlternativeFinding &f : alternativeFindings(rules, input)) {
        if (rules.alternatives.minSupport <= 0 || f.support < rules.alternatives.minSupport ||
            index.contains(f.rule))
            continue;
        // "he is not hurt" contradicts "bleeding a lot": a negated concept of the same kind.
        const QList<const ConceptRule *> negatedHere = negatedIn.values(int(f.segment));
        if (std::any_of(negatedHere.cbegin(), negatedHere.cend(), [&](const ConceptRule *n) {
                return n == f.rule ||
                       std::any_of(n->tags.cbegin(), n->tags.cend(),
                                   [&](const QString &t) { return hasTag(*f.rule, t); });
            })) {
            evidence("ignored", f.hypothesis,
                     QStringLiteral("%1 in an alternative hypothesis: the best one negates it")
                         .arg(f.rule->id));
            continue;
        }
        qsizetype at = 0;
        while (at < tokens.size() && tokens.at(at).segment < f.segment)
            ++at;
        index.insert(f.rule, mentions.size());
        Mention mention{f.rule, at, at, {f.heard}, f.rule->severity, true, {}};
        mention.confirmed = true;
        mention.alternative = true;
        mentions.append(mention);
        evidence("alternative", f.hypothesis,
                 QStringLiteral("%1 heard in an alternative hypothesis (%2 of the segment's "
                                "alternatives), not in the best one")
                     .arg(f.rule->id)
                     .arg(f.support));
    }

    // 3. De-escalation: "fire is out" caps fire concepts; a critical mention after it stands.
    // The summary never states both sides: a capped critical finding gives way to what capped
    // it, and a reassurance that a critical finding outlived is not shown.
    for (qsizetype di = 0; di < mentions.size(); ++di) {
        if (!mentions.at(di).rule->deescalate)
            continue;
        const Deescalation &de = *mentions.at(di).rule->deescalate;
        for (qsizetype mi = 0; mi < mentions.size(); ++mi) {
            Mention &m = mentions[mi];
            Mention &d = mentions[di];
            if (mi == di || m.rule->deescalate)
                continue;
            const bool tagged =
                std::any_of(de.tags.cbegin(), de.tags.cend(), [&](const QString &t) {
                    return t == QLatin1String("*") || hasTag(*m.rule, t);
                });
            if (!tagged)
                continue;
            if (m.rule->critical && m.last > d.last) {
                d.shownInSummary = false;
                continue;
            }
            // A critical finding is capped only by a negation of that finding about the
            // patient (the de-escalator's tags) or by a retraction of the whole call.
            if (m.rule->critical && d.firstPerson && !de.retraction) {
                evidence("ignored", d.surfaces.constFirst(),
                         QStringLiteral("about the caller: does not cap %1").arg(m.rule->id));
                d.shownInSummary = false;
                continue;
            }
            m.severity = std::min(m.severity, de.maxSeverity);
            if (de.clearCritical)
                m.critical = false;
            m.cappedBy = d.surfaces.constFirst();
            if (m.rule->critical)
                m.shownInSummary = false;
        }
    }

    // A finding of an alternative hypothesis that the best one reassures about is no finding.
    mentions.removeIf([](const Mention &m) { return m.alternative && !m.cappedBy.isEmpty(); });

    // 4. Severity, response weights, critical.
    ResponseWeights weights{};
    int severity = 0;
    const Mention *top = nullptr;
    QStringList criticalReasons;
    QStringList summaryItems;
    for (const Mention &m : std::as_const(mentions)) {
        if (m.confirmed && !m.alternative)
            add(weights, m.rule->response);
        if (m.severity > severity) {
            severity = m.severity;
            top = &m;
        }
        if (m.critical && !m.confirmed)
            evidence("ignored", m.surfaces.constFirst(),
                     QStringLiteral("keyword-spotted only: %1 not flagged critical")
                         .arg(m.rule->criticalReason));
        const QString reason =
            m.alternative ? m.rule->criticalReason + QStringLiteral(" (heard in an alternative "
                                                                    "hypothesis)")
                          : m.rule->criticalReason;
        if (m.critical && m.confirmed && !criticalReasons.contains(reason)) {
            criticalReasons.append(reason);
            evidence("critical", m.surfaces.constFirst(), reason);
        }
        if (!m.cappedBy.isEmpty() && m.rule->severity > m.severity)
            evidence("severity", m.cappedBy,
                     QStringLiteral("caps %1 at severity %2").arg(m.rule->id).arg(m.severity));
    }
    ResponseType tieBreak = top && top->confirmed && !top->alternative
                                ? dominant(top->rule->response)
                                : ResponseType::Unknown;

    for (const CombinationRule &c : rules.combinations) {
        QStringList because;
        bool all = true;
        bool confirmed = true;
        for (const QString &r : c.required) {
            // Prefer a heard mention for each requirement.
            auto found = mentions.cend();
            for (auto it = mentions.cbegin(); it != mentions.cend(); ++it) {
                if (!it->cappedBy.isEmpty() || it->alternative || !hasTag(*it->rule, r))
                    continue;
                if (found == mentions.cend() || (it->confirmed && !found->confirmed))
                    found = it;
            }
            if (found == mentions.cend()) {
                all = false;
                break;
            }
            confirmed = confirmed && found->confirmed;
            because.append(found->surfaces.constFirst());
        }
        if (!all)
            continue;
        if (!summaryItems.contains(c.summary))
            summaryItems.append(c.summary);
        if (confirmed)
            add(weights, c.response);
        if (c.severity > severity) {
            severity = c.severity;
            if (confirmed)
                tieBreak =
                    dominant(c.response) == ResponseType::Unknown ? tieBreak : dominant(c.response);
        }
        evidence("severity", because.join(QStringLiteral(" + ")),
                 QStringLiteral("%1: severity %2").arg(c.id).arg(c.severity));
        if (c.critical && confirmed && !criticalReasons.contains(c.criticalReason)) {
            criticalReasons.append(c.criticalReason);
            evidence("critical", because.join(QStringLiteral(" + ")), c.criticalReason);
        }
    }

    QStringList vitalsItems;
    if (input.vitals) {
        for (const VitalsRule &v : rules.vitals) {
            double confidence = 0;
            const auto value = reading(*input.vitals, v.measure, &confidence);
            if (!value || confidence < v.minConfidence)
                continue;
            if (!((v.below && *value < *v.below) || (v.above && *value > *v.above)))
                continue;
            const QString what =
                QStringLiteral("%1 %2/min (confidence %3)")
                    .arg(v.measure == VitalsMeasure::HeartRate ? QStringLiteral("heart rate")
                                                               : QStringLiteral("breathing rate"))
                    .arg(*value, 0, 'f', 0)
                    .arg(confidence, 0, 'f', 2);
            vitalsItems.append(v.summary);
            add(weights, v.response);
            severity = std::max(severity, v.severity);
            evidence("severity", what, QStringLiteral("%1: severity %2").arg(v.id).arg(v.severity));
            if (v.critical && !criticalReasons.contains(v.criticalReason)) {
                criticalReasons.append(v.criticalReason);
                evidence("critical", what, v.criticalReason);
            }
        }
    }

    const bool silent = rules.silence.afterSpeechMs > 0 &&
                        input.silenceAfterSpeechMs >= rules.silence.afterSpeechMs;
    if (silent) {
        severity = std::max(severity, rules.silence.severity);
        evidence("severity",
                 QStringLiteral("caller silent for %1 s after speaking")
                     .arg(input.silenceAfterSpeechMs / 1000),
                 rules.silence.summary);
    }

    const bool unsure = input.recognitionPoor && rules.lowConfidence.minSeverity > 0;
    if (unsure && severity < rules.lowConfidence.minSeverity) {
        severity = rules.lowConfidence.minSeverity;
        evidence("severity", QStringLiteral("low-confidence recognition"),
                 QStringLiteral("%1: severity at least %2")
                     .arg(rules.lowConfidence.summary)
                     .arg(rules.lowConfidence.minSeverity));
    }

    // Escalators ("child", "trapped") raise an already serious situation by one step.
    int raise = 0;
    for (const Mention &m : std::as_const(mentions)) {
        if (m.rule->escalate > raise && severity >= m.rule->escalateMinSeverity) {
            raise = m.rule->escalate;
            evidence("severity", m.surfaces.constFirst(),
                     QStringLiteral("%1 escalates by %2").arg(m.rule->id).arg(raise));
        }
    }
    severity = std::min(severity + raise, TriageReport::MaxSeverity);

    report.severity = std::clamp(severity, TriageReport::MinSeverity, TriageReport::MaxSeverity);
    report.responseType = strongest(weights, tieBreak);
    if (top)
        evidence("severity", top->surfaces.constFirst(),
                 QStringLiteral("%1: severity %2").arg(top->rule->id).arg(top->severity));
    if (report.responseType != ResponseType::Unknown) {
        for (const Mention &m : std::as_const(mentions)) {
            if (m.rule->response[static_cast<size_t>(report.responseType)] > 0) {
                evidence("response_type", m.surfaces.constFirst(),
                         QStringLiteral("%1 -> %2").arg(m.rule->id, toString(report.responseType)));
                break;
            }
        }
    }
    report.critical = !criticalReasons.isEmpty();
    report.criticalReason = criticalReasons.mid(0, 2).join(QStringLiteral("; "));

    // 5. Can the caller speak freely?
    QStringList hidingCues;
    const int hiding = countCues(rules.canSpeak.cues, tokens, &hidingCues);
    if (typed && !spoke && rules.canSpeak.typedTextMeansCannotSpeak) {
        report.canSpeak = false;
        evidence("can_speak", QStringLiteral("caller typed instead of talking"), QString());
    } else if (hiding >= rules.canSpeak.threshold) {
        report.canSpeak = false;
        evidence("can_speak", hidingCues.join(QStringLiteral(", ")),
                 QStringLiteral("hiding or whispering cues weigh %1").arg(hiding));
    }

    // 6. Emotional state.
    QStringList panicFound;
    QStringList distressFound;
    int panic = countCues(rules.emotion.panicCues, tokens, &panicFound);
    const int distress = countCues(rules.emotion.distressCues, tokens, &distressFound);
    // Repeated words ("help help", "no no no") are a panic cue, but only words that mean
    // something: the recognizer repeats filler ("pipe pipe") when it mishears.
    QSet<QString> emotive = rules.text.negators;
    for (const auto *cues : {&rules.emotion.panicCues, &rules.emotion.distressCues})
        for (const WeightedCue &c : *cues)
            for (const QString &stem : c.pattern)
                emotive.insert(stem);
    for (qsizetype i = 1; i < tokens.size(); ++i) {
        if (tokens.at(i).stem == tokens.at(i - 1).stem &&
            tokens.at(i).clause == tokens.at(i - 1).clause && emotive.contains(tokens.at(i).stem)) {
            panic += rules.emotion.repeatedWordWeight;
            panicFound.append(tokens.at(i).surface + u' ' + tokens.at(i).surface);
        }
    }
    panic += exclamations * rules.emotion.exclamationWeight;
    if (exclamations > 0)
        panicFound.append(QStringLiteral("exclamation marks"));
    const bool anything = !tokens.isEmpty() || !vitalsItems.isEmpty();
    if (silent && rules.silence.unresponsive) {
        report.emotionalState = EmotionalState::Unresponsive;
        evidence("emotional_state", QStringLiteral("silence"), rules.silence.summary);
    } else if (panic >= rules.emotion.panickedMinCues ||
               (report.critical && panic >= rules.emotion.panickedMinCuesIfCritical &&
                rules.emotion.panickedMinCuesIfCritical > 0)) {
        report.emotionalState = EmotionalState::Panicked;
        evidence("emotional_state", panicFound.join(QStringLiteral(", ")),
                 QStringLiteral("panic cues weigh %1").arg(panic));
    } else if (panic + distress > 0 || report.severity >= rules.emotion.distressedMinSeverity) {
        report.emotionalState = EmotionalState::Distressed;
        evidence("emotional_state", (panicFound + distressFound).join(QStringLiteral(", ")),
                 QStringLiteral("severity %1").arg(report.severity));
    } else if (anything) {
        report.emotionalState = EmotionalState::Calm;
    }

    // 7. Summary and keywords, most severe first.
    QList<const Mention *> ordered;
    for (Mention &m : mentions) {
        // "I am fine" next to a critical finding reads as a contradiction: left out.
        if (m.firstPerson && report.critical)
            m.shownInSummary = false;
        ordered.append(&m);
    }
    std::stable_sort(ordered.begin(), ordered.end(), [](const Mention *a, const Mention *b) {
        const bool ad = a->rule->deescalate.has_value();
        const bool bd = b->rule->deescalate.has_value();
        if (ad != bd)
            return bd; // de-escalators last
        return a->severity != b->severity ? a->severity > b->severity : a->first < b->first;
    });
    for (const Mention *m : std::as_const(ordered)) {
        if (m->shownInSummary && !m->rule->summary.isEmpty() &&
            !summaryItems.contains(m->rule->summary))
            summaryItems.append(m->rule->summary);
        for (const QString &s : m->surfaces) {
            const QString k = s.left(TriageReport::MaxKeywordChars);
            if (report.detectedKeywords.size() < TriageReport::MaxKeywords &&
                !report.detectedKeywords.contains(k))
                report.detectedKeywords.append(k);
        }
    }
    summaryItems += vitalsItems;
    if (silent)
        summaryItems.append(rules.silence.summary);
    if (unsure)
        summaryItems.append(rules.lowConfidence.summary);
    QString subject;
    qsizetype subjectAt = tokens.size();
    for (const auto &[pattern, label] : rules.subjects) {
        for (qsizetype i = 0; i < subjectAt; ++i) {
            if (matchPattern(tokens, i, pattern) > 0) {
                subject = label;
                subjectAt = i;
                break;
            }
        }
    }
    QString summary = summaryItems.mid(0, MaxSummaryItems).join(QStringLiteral(", "));
    if (!summary.isEmpty() && !subject.isEmpty())
        summary = subject + QStringLiteral(": ") + summary;
    if (!report.canSpeak)
        summary += summary.isEmpty() ? QStringLiteral("caller cannot speak freely")
                                     : QStringLiteral("; caller cannot speak freely");
    if (summary.isEmpty() && anything)
        summary = QStringLiteral("no emergency described yet");
    report.situationSummary = capitalized(summary).left(TriageReport::MaxSummaryChars);
    return report;
}

} // namespace dispatch
