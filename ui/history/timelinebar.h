#pragma once

#include <QList>
#include <QWidget>

namespace dispatch {

// A recorded call's time axis: the played part, the position, and bookmarks (triage results,
// dispatcher overrides, critical flags, answer/hold/transfer) as marks that seek when clicked.
// A click elsewhere seeks to that point; the keyboard is handled by the window around it.
class TimelineBar : public QWidget
{
    Q_OBJECT

public:
    enum class MarkKind
    {
        Event,    // answered, held, resumed, transferred, ...
        AiTriage, // an AI assessment
        Override, // a dispatcher's assessment
        Critical  // a critical flag
    };
    struct Bookmark
    {
        qint64 ms = 0;
        MarkKind kind = MarkKind::Event;
        QString label;
    };

    explicit TimelineBar(QWidget *parent = nullptr);

    void setDuration(qint64 ms);
    void setBookmarks(const QList<Bookmark> &marks);
    void setPosition(qint64 ms);
    qint64 duration() const { return m_durationMs; }
    qint64 position() const { return m_positionMs; }
    const QList<Bookmark> &bookmarks() const { return m_marks; }
    // Where a time is drawn (for tests and tooltips) and the reverse.
    int xForMs(qint64 ms) const;
    qint64 msForX(int x) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void seekRequested(qint64 ms);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    bool event(QEvent *event) override;

private:
    // The bookmark drawn within a few pixels of x, or -1.
    int markNear(int x) const;
    QRect track() const;

    qint64 m_durationMs = 0;
    qint64 m_positionMs = 0;
    QList<Bookmark> m_marks;
};

QColor colorFor(TimelineBar::MarkKind kind);

} // namespace dispatch
