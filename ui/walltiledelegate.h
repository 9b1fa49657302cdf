#pragma once

#include <QStyledItemDelegate>

namespace dispatch {

// Paints one call of the wall as a tile readable across a room: state and answer clock in
// large type, the severity colour down the side, response type, summary, who handles it, and
// the critical and "caller cannot speak" markers.
class WallTileDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    static constexpr int TileWidth = 520;
    static constexpr int TileHeight = 240;

    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

// "m:ss", or "h:mm:ss" past an hour.
QString wallClock(qint64 ms);

} // namespace dispatch
