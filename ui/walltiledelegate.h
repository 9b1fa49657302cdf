#pragma once

#include <QStyledItemDelegate>

namespace dispatch {

// Paints one call of the wall as a tile readable across a room: state and answer clock in
// large type, the severity colour down the side, the caller and area, response type, summary,
// who handles it, and the critical and "caller cannot speak" markers. The wall sets the tile
// size to fit its screen; type scales with it.
class WallTileDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    // The reference tile the type sizes are designed for (and the aspect ratio kept).
    static constexpr int TileWidth = 520;
    static constexpr int TileHeight = 240;

    using QStyledItemDelegate::QStyledItemDelegate;

    void setTileSize(QSize size) { m_tile = size; }
    QSize tileSize() const { return m_tile; }

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    QSize m_tile{TileWidth, TileHeight};
};

// "m:ss", or "h:mm:ss" past an hour.
QString wallClock(qint64 ms);

} // namespace dispatch
