#include "calls/roomstats.h"

namespace dispatch {

namespace {

std::optional<double> share(int hits, int of)
{
    if (of <= 0)
        return std::nullopt;
    return static_cast<double>(hits) / of;
}

std::optional<qint64> mean(qint64 sum, int count)
{
    if (count <= 0)
        return std::nullopt;
    return sum / count;
}

} // namespace

RoomStats RoomStats::compute(const QList<const Call *> &calls, const QDateTime &now)
{
    RoomStats s;
    const QDate today = now.toLocalTime().date();
    int decided15 = 0;
    int decided20 = 0;
    int within15 = 0;
    int within20 = 0;
    qint64 answerSum = 0;
    qint64 triageSum = 0;
    int triaged = 0;
    for (const Call *c : calls) {
        switch (c->state) {
        case CallState::Ringing:
            ++s.ringing;
            break;
        case CallState::Answered:
            ++s.active;
            break;
        case CallState::OnHold:
            ++s.onHold;
            break;
        case CallState::Ended:
            break;
        }
        s.callbacksDue += c->followUp == FollowUp::Open ? 1 : 0;
        if (c->ringingSince.toLocalTime().date() != today)
            continue;
        ++s.callsToday;
        const qint64 waited = c->answerMilliseconds(now);
        if (c->answeredAt.isValid()) {
            ++s.answeredToday;
            answerSum += waited;
            ++decided15;
            ++decided20;
            within15 += waited <= FastAnswerMs ? 1 : 0;
            within20 += waited <= SlowAnswerMs ? 1 : 0;
            if (c->firstTriageAt.isValid()) {
                triageSum += std::max<qint64>(0, c->answeredAt.msecsTo(c->firstTriageAt));
                ++triaged;
            }
        } else if (!c->isLive()) {
            ++decided15; // ended without an answer: a miss on both targets
            ++decided20;
            s.abandonedToday += c->endReason == EndReason::Abandoned ? 1 : 0;
        } else {
            // Still ringing: already a miss once past a target, undecided before it.
            decided15 += waited > FastAnswerMs ? 1 : 0;
            decided20 += waited > SlowAnswerMs ? 1 : 0;
        }
    }
    s.answeredWithin15Share = share(within15, decided15);
    s.answeredWithin20Share = share(within20, decided20);
    s.meanAnswerMs = mean(answerSum, s.answeredToday);
    s.meanAnswerToTriageMs = mean(triageSum, triaged);
    return s;
}

} // namespace dispatch
