#include "walltiledelegate.h"

#include "callqueuemodel.h"
#include "callwallmodel.h"
#include "theme.h"
#include "triagecard.h"

#include <QPainter>
#include <QPainterPath>

namespace dispatch {

QString wallClock(qint64 ms)
{
    const qint64 s = std::max<qint64>(0, ms / 1000);
    if (s >= 3600)
        return QStringLiteral("%1:%2:%3")
            .arg(s / 3600)
            .arg((s / 60) % 60, 2, 10, QLatin1Char('0'))
            .arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

QSize WallTileDelegate::sizeHint(const QStyleOptionViewItem &, const QModelIndex &) const
{
    return m_tile;
}

void WallTileDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                             const QModelIndex &index) const
{
    const auto state = static_cast<CallState>(index.data(CallWallModel::StateRole).toInt());
    const int severity = index.data(CallWallModel::SeverityRole).toInt();
    const int urgency = index.data(CallWallModel::AnswerUrgencyRole).toInt();
    const bool critical = index.data(CallWallModel::CriticalRole).toBool();
    const bool cannotSpeak = index.data(CallWallModel::CannotSpeakRole).toBool();
    const QString followUp = index.data(CallWallModel::FollowUpRole).toString();

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const double scale = static_cast<double>(option.rect.width()) / TileWidth;
    const auto px = [scale](double designPx) { return std::max(1, qRound(designPx * scale)); };
    const QRectF tile = QRectF(option.rect).adjusted(8, 8, -8, -8);
    QPainterPath shape;
    shape.addRoundedRect(tile, 10, 10);
    const QColor base = option.palette.color(QPalette::Base);
    QColor background =
        base.lightness() < 128 ? QColor(0x26, 0x2b, 0x33) : QColor(0xf2, 0xf4, 0xf7);
    if (urgency == 2)
        background = QColor(0x8e, 0x1b, 0x1b);
    else if (urgency == 1 || !followUp.isEmpty())
        background = QColor(0x7a, 0x4a, 0x00);
    painter->fillPath(shape, background);
    if (critical) {
        painter->setPen(QPen(QColor(0xff, 0x3b, 0x30), 5));
        painter->drawPath(shape);
    }
    // The severity colour down the left side (grey until there is a triage).
    const QRectF bar(tile.left(), tile.top(), px(16), tile.height());
    QPainterPath barShape;
    barShape.addRoundedRect(bar, 8, 8);
    painter->fillPath(barShape, severity > 0 ? severityColor(severity) : untriagedColor());

    const QColor text = textColorOn(background);
    const QRectF body = tile.adjusted(px(32), px(10), -px(16), -px(10));
    QFont big = option.font;
    big.setPixelSize(px(38));
    big.setBold(true);
    QFont medium = option.font;
    medium.setPixelSize(px(24));
    QFont small = option.font;
    small.setPixelSize(px(20));

    // Top line: state at the left, the clock at the right (answer clock while ringing).
    painter->setPen(text);
    painter->setFont(big);
    const QRectF top(body.left(), body.top(), body.width(), px(46));
    QString headline = followUp.isEmpty() ? stateLabel(state) : followUp;
    if (severity > 0)
        headline += QStringLiteral("  ") + WallTileDelegate::tr("S%1").arg(severity);
    const qint64 clock = state == CallState::Ringing
                             ? index.data(CallWallModel::AnswerClockMsRole).toLongLong()
                             : index.data(CallWallModel::ElapsedMsRole).toLongLong();
    const QString clockText = wallClock(clock);
    painter->drawText(top, Qt::AlignRight | Qt::AlignVCenter, clockText);
    // The headline never runs under the clock (a follow-up's, or a long translation).
    const QFontMetrics bigMetrics(big);
    const int headlineWidth =
        static_cast<int>(top.width()) - bigMetrics.horizontalAdvance(clockText) - px(16);
    painter->drawText(top, Qt::AlignLeft | Qt::AlignVCenter,
                      bigMetrics.elidedText(headline, Qt::ElideRight, headlineWidth));

    // Which call and where: the caller's short label and the area.
    painter->setFont(small);
    const QRectF identityRect(body.left(), top.bottom(), body.width(), px(28));
    const QString area = index.data(CallWallModel::AreaRole).toString();
    const QString identity =
        area.isEmpty() ? WallTileDelegate::tr("%1 · no location yet")
                             .arg(callerLabel(index.data(CallWallModel::CallIdRole).toString()))
                       : WallTileDelegate::tr("%1 · %2").arg(
                             callerLabel(index.data(CallWallModel::CallIdRole).toString()), area);
    painter->drawText(identityRect, Qt::AlignLeft | Qt::AlignVCenter,
                      QFontMetrics(small).elidedText(identity, Qt::ElideRight,
                                                     static_cast<int>(identityRect.width())));

    // Response type and summary.
    painter->setFont(medium);
    const QString response = index.data(CallWallModel::ResponseTypeRole).toString();
    const QString summary = index.data(CallWallModel::SummaryRole).toString();
    const QRectF middle(body.left(), identityRect.bottom() + px(4), body.width(), px(64));
    QString line = response.isEmpty() ? WallTileDelegate::tr("No triage yet") : response;
    if (!summary.isEmpty())
        line += QStringLiteral(" — ") + summary;
    painter->drawText(middle, Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap,
                      QFontMetrics(medium).elidedText(line, Qt::ElideRight,
                                                      static_cast<int>(middle.width() * 1.8)));

    // Bottom: who handles it, then the markers at the right.
    painter->setFont(small);
    const QRectF bottom(body.left(), body.bottom() - px(30), body.width(), px(30));
    QStringList markers;
    if (critical)
        markers << WallTileDelegate::tr("CRITICAL");
    if (cannotSpeak)
        markers << WallTileDelegate::tr("CANNOT SPEAK");
    if (followUp.isEmpty() && !index.data(CallWallModel::CallerConnectedRole).toBool())
        markers << WallTileDelegate::tr("CALLER LOST");
    qreal badgeWidth = 0;
    if (!markers.isEmpty()) {
        QFont badge = small;
        badge.setBold(true);
        painter->setFont(badge);
        const QString label = markers.join(QStringLiteral("  "));
        const QFontMetrics fm(badge);
        const QRectF badgeRect(bottom.right() - fm.horizontalAdvance(label) - px(16), bottom.top(),
                               fm.horizontalAdvance(label) + px(16), bottom.height());
        QPainterPath badgeShape;
        badgeShape.addRoundedRect(badgeRect, 6, 6);
        painter->fillPath(badgeShape, redAlarmColor());
        painter->setPen(textColorOn(redAlarmColor()));
        painter->drawText(badgeRect, Qt::AlignCenter, label);
        badgeWidth = badgeRect.width() + px(12);
    }
    painter->setFont(small);
    painter->setPen(text);
    const QString handler = index.data(CallWallModel::HandlerRole).toString();
    const QString who =
        !followUp.isEmpty()
            ? WallTileDelegate::tr("CALL BACK · waiting %1")
                  .arg(wallClock(index.data(CallWallModel::ElapsedMsRole).toLongLong()))
        : handler.isEmpty() ? WallTileDelegate::tr("waiting for a dispatcher")
                            : WallTileDelegate::tr("handled by %1").arg(handler);
    painter->drawText(bottom.adjusted(0, 0, -badgeWidth, 0), Qt::AlignLeft | Qt::AlignVCenter,
                      QFontMetrics(small).elidedText(
                          who, Qt::ElideRight, static_cast<int>(bottom.width() - badgeWidth)));
    painter->restore();
}

} // namespace dispatch
