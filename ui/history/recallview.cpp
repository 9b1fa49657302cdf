#include "recallview.h"
#include "placetext.h"

#include "callhistorymodel.h"
#include "dialogs/dispositiondialog.h"
#include "dialogs/followupdialog.h"
#include "triagecard.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QPixmap>
#include <QPushButton>
#include <QSplitter>
#include <QStyle>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace dispatch {

namespace {

QString when(const QDateTime &at)
{
    return at.isValid()
               ? QLocale().toString(at.toLocalTime(), QStringLiteral("yyyy-MM-dd HH:mm:ss"))
               : QStringLiteral("-");
}

// Index of the last time <= ms in a sorted list, -1 if none.
int lastAtOrBefore(const QList<qint64> &times, qint64 ms)
{
    const auto it = std::upper_bound(times.cbegin(), times.cend(), ms);
    return int(it - times.cbegin()) - 1;
}

} // namespace

RecallView::RecallView(QWidget *parent)
    : QWidget(parent)
    , m_header(new QLabel(this))
    , m_play(new QToolButton(this))
    , m_position(new QLabel(this))
    , m_tracks(new QComboBox(this))
    , m_export(new QPushButton(tr("&Export..."), this))
    , m_timeline(new TimelineBar(this))
    , m_audioStatus(new QLabel(this))
    , m_transcript(new QListWidget(this))
    , m_triage(new QTreeWidget(this))
    , m_frame(new QLabel(this))
{
    m_header->setObjectName(QStringLiteral("recallHeader"));
    m_header->setTextFormat(Qt::RichText);
    m_header->setWordWrap(true);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_play->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    m_play->setToolTip(tr("Play / pause (Space)"));
    m_play->setAccessibleName(tr("Play"));
    m_tracks->addItem(tr("Caller and dispatcher"), int(RecallSource::Tracks::Mixed));
    m_tracks->addItem(tr("Caller only"), int(RecallSource::Tracks::Caller));
    m_tracks->addItem(tr("Dispatcher talk-back only"), int(RecallSource::Tracks::TalkBack));
    m_tracks->setAccessibleName(tr("Tracks to play"));
    m_export->setToolTip(tr("Export as a NENA EIDO incident with the audio (Ctrl+E)"));
    m_audioStatus->setWordWrap(true);
    m_audioStatus->hide();
    m_transcript->setAccessibleName(tr("Recorded transcript"));
    m_transcript->setWordWrap(true);
    m_transcript->setToolTip(tr("Click a line to play from there"));
    m_triage->setColumnCount(5);
    m_triage->setHeaderLabels({tr("At"), tr("By"), tr("Severity"), tr("Type"), tr("Summary")});
    m_triage->setRootIsDecorated(false);
    m_triage->setAccessibleName(tr("Triage history"));
    m_triage->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_triage->header()->setStretchLastSection(true);
    m_frame->setObjectName(QStringLiteral("recallFrame"));
    m_frame->setMinimumSize(160, 120);
    m_frame->setAlignment(Qt::AlignCenter);
    m_frame->setAccessibleName(tr("Camera frame at the playback position"));

    auto *controls = new QHBoxLayout;
    controls->addWidget(m_play);
    controls->addWidget(m_position);
    controls->addStretch(1);
    controls->addWidget(m_tracks);
    controls->addWidget(m_export);
    auto *right = new QSplitter(Qt::Vertical, this);
    right->addWidget(m_triage);
    right->addWidget(m_frame);
    auto *lists = new QSplitter(Qt::Horizontal, this);
    lists->addWidget(m_transcript);
    lists->addWidget(right);
    lists->setStretchFactor(0, 3);
    lists->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_header);
    layout->addLayout(controls);
    layout->addWidget(m_timeline);
    layout->addWidget(m_audioStatus);
    layout->addWidget(lists, 1);

    connect(m_play, &QToolButton::clicked, &m_player, &RecallPlayer::togglePlay);
    connect(m_timeline, &TimelineBar::seekRequested, &m_player, &RecallPlayer::seek);
    connect(&m_player, &RecallPlayer::positionChanged, this, &RecallView::showPosition);
    connect(&m_player, &RecallPlayer::playingChanged, this, [this](bool playing) {
        m_play->setIcon(
            style()->standardIcon(playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
        m_play->setAccessibleName(playing ? tr("Pause") : tr("Play"));
        if (playing && !m_playbackAudited && hasCall()) {
            m_playbackAudited = true;
            Q_EMIT playbackStarted(m_call);
        }
    });
    connect(&m_player, &RecallPlayer::audioStatusChanged, this, [this](const QString &status) {
        m_audioStatus->setText(status);
        m_audioStatus->setVisible(!status.isEmpty());
    });
    connect(m_tracks, &QComboBox::currentIndexChanged, this,
            [this] { m_player.setTracks(RecallSource::Tracks(m_tracks->currentData().toInt())); });
    connect(m_transcript, &QListWidget::itemClicked, this, [this](QListWidgetItem *item) {
        m_player.seek(item->data(Qt::UserRole).toLongLong());
    });
    connect(m_triage, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        m_player.seek(item->data(0, Qt::UserRole).toLongLong());
    });
    connect(m_export, &QPushButton::clicked, this, [this] {
        if (hasCall())
            Q_EMIT exportRequested(m_call);
    });
    clear();
}

qint64 RecallView::offsetMs(const QDateTime &at) const
{
    return m_call.ringingAt.isValid() && at.isValid()
               ? std::max<qint64>(0, m_call.ringingAt.msecsTo(at))
               : 0;
}

void RecallView::clear()
{
    m_player.load(StoredCall{});
    m_call = StoredCall{};
    m_playbackAudited = false;
    m_header->setText(tr("Open a call from the list (Enter) to play it back."));
    m_transcript->clear();
    m_triage->clear();
    m_timeline->setBookmarks({});
    m_timeline->setDuration(0);
    m_segmentMs.clear();
    m_frameMs.clear();
    m_currentSegment = -1;
    m_currentFrame = -1;
    m_frame->setText(tr("(no camera frame)"));
    for (QWidget *w : std::initializer_list<QWidget *>{m_play, m_tracks, m_export, m_timeline})
        w->setEnabled(false);
    showPosition(0);
}

void RecallView::setCall(const StoredCall &call)
{
    clear();
    m_call = call;
    const QStringList errors = m_player.load(call);
    m_audioStatus->setText(errors.join(QLatin1Char('\n')));
    m_audioStatus->setVisible(!errors.isEmpty());
    const bool talkBack = m_player.hasTrack(QStringLiteral("talkback"));
    m_tracks->setCurrentIndex(0);
    m_tracks->setEnabled(talkBack);
    m_tracks->setToolTip(talkBack ? QString() : tr("This call has no dispatcher talk-back."));
    for (QWidget *w : std::initializer_list<QWidget *>{m_play, m_export, m_timeline})
        w->setEnabled(true);
    m_timeline->setDuration(m_player.durationMs());
    for (const StoredCall::Frame &f : call.frames)
        m_frameMs << offsetMs(f.at);
    fillHeader();
    fillTriage();
    fillTranscript();
    fillBookmarks();
    showPosition(0);
}

void RecallView::fillHeader()
{
    const StoredCall &c = m_call;
    QStringList lines;
    lines << tr("<b>Call %1</b> rang %2").arg(c.callId.toHtmlEscaped(), when(c.ringingAt));
    if (c.answeredAt.isValid())
        lines << tr("Answered %1 by %2 (after %3)")
                     .arg(when(c.answeredAt), c.answeredBy.toHtmlEscaped(),
                          durationLabel(c.ringingAt.msecsTo(c.answeredAt)));
    else
        lines << tr("Never answered");
    if (c.endedAt.isValid())
        lines << tr("Ended %1: %2, length %3")
                     .arg(when(c.endedAt), endReasonLabel(c.endReason).toHtmlEscaped(),
                          durationLabel(c.ringingAt.msecsTo(c.endedAt)));
    if (!c.disposition.isEmpty())
        lines << tr("Disposition: %1").arg(storedDispositionLabel(c.disposition).toHtmlEscaped());
    if (!c.followUp.isEmpty())
        lines << (c.followUpAt.isValid()
                      ? tr("Follow-up: %1, %2 by %3")
                            .arg(storedFollowUpLabel(c.followUp).toHtmlEscaped(),
                                 when(c.followUpAt), c.followUpBy.toHtmlEscaped())
                      : tr("Follow-up: %1").arg(storedFollowUpLabel(c.followUp).toHtmlEscaped()));
    if (!c.lateTriage.isEmpty())
        lines << tr("Said while it rang (assessed after the end): severity %1, %2. %3")
                     .arg(c.lateTriage.value(QLatin1String("severity")).toInt())
                     .arg(storedResponseTypeLabel(
                              c.lateTriage.value(QLatin1String("recommended_response_type"))
                                  .toString()),
                          c.lateTriage.value(QLatin1String("situation_summary"))
                              .toString()
                              .toHtmlEscaped());
    if (c.interrupted)
        lines << QStringLiteral("<span style=\"color:#e53935\"><b>%1</b></span>")
                     .arg(tr("Interrupted: the console stopped during this call, the record may "
                             "be incomplete."));
    if (c.lastLocation) {
        QString where = tr("Last location %1").arg(PlaceText::coordinates(*c.lastLocation, 5));
        if (c.address.status != geo::AddressStatus::NoData)
            where = tr("%1: %2").arg(where, PlaceText::match(c.address));
        lines << where.toHtmlEscaped();
    }
    m_header->setText(lines.join(QStringLiteral("<br>")));
}

void RecallView::fillTriage()
{
    for (const StoredCall::Triage &t : m_call.triage) {
        const qint64 ms = offsetMs(t.at);
        QString by = t.human ? tr("Dispatcher override") : tr("AI (%1)").arg(t.source);
        QString summary = t.report.value(QLatin1String("situation_summary")).toString();
        const QString note = t.report.value(QLatin1String("note")).toString();
        if (t.human && !note.isEmpty())
            summary += QLatin1Char('\n') + tr("Dispatcher's note: %1").arg(note);
        if (t.replacedAi)
            summary += QLatin1Char('\n') +
                       tr("replaced AI: severity %1, %2")
                           .arg(t.replacedAi->value(QLatin1String("severity")).toInt())
                           .arg(storedResponseTypeLabel(
                               t.replacedAi->value(QLatin1String("recommended_response_type"))
                                   .toString()));
        auto *item =
            new QTreeWidgetItem(m_triage, {durationLabel(ms), by, QString::number(t.severity),
                                           storedResponseTypeLabel(t.responseType), summary});
        item->setData(0, Qt::UserRole, ms);
        item->setForeground(1, colorFor(t.human ? TimelineBar::MarkKind::Override
                                                : TimelineBar::MarkKind::AiTriage));
    }
}

void RecallView::fillTranscript()
{
    for (const StoredCall::Segment &s : m_call.transcript) {
        const qint64 ms = offsetMs(s.at);
        m_segmentMs << ms;
        auto *item =
            new QListWidgetItem(QStringLiteral("%1  %2: %3")
                                    .arg(durationLabel(ms), storedSpeakerLabel(s.speaker), s.text),
                                m_transcript);
        item->setData(Qt::UserRole, ms);
    }
    // What an abandoned caller said while it rang, recognized after the end: after the rest
    // (playback never selects them), and a click plays the ring-time audio from its start.
    for (const StoredCall::Segment &s : m_call.lateTranscript) {
        auto *item = new QListWidgetItem(
            tr("while ringing  %1: %2").arg(storedSpeakerLabel(s.speaker), s.text), m_transcript);
        item->setToolTip(tr("Recognized from the ring-time audio after the call ended"));
        item->setData(Qt::UserRole, qint64(0));
    }
}

void RecallView::fillBookmarks()
{
    QList<TimelineBar::Bookmark> marks;
    for (const StoredCall::Triage &t : m_call.triage) {
        const QString summary = t.report.value(QLatin1String("situation_summary")).toString();
        marks.append({offsetMs(t.at),
                      t.human ? TimelineBar::MarkKind::Override : TimelineBar::MarkKind::AiTriage,
                      (t.human ? tr("Dispatcher override: severity %1, %2")
                               : tr("AI triage: severity %1, %2"))
                              .arg(t.severity)
                              .arg(storedResponseTypeLabel(t.responseType)) +
                          (summary.isEmpty() ? QString() : QStringLiteral(" - ") + summary)});
    }
    static const QStringList events{QStringLiteral("answered"),
                                    QStringLiteral("held"),
                                    QStringLiteral("resumed"),
                                    QStringLiteral("transferred"),
                                    QStringLiteral("caller_disconnected"),
                                    QStringLiteral("caller_reconnected"),
                                    QStringLiteral("location_accepted"),
                                    QStringLiteral("critical_acknowledged")};
    for (const StoredCall::Event &e : m_call.timeline) {
        const bool critical = e.kind == QLatin1String("critical_flagged");
        if (!critical && !events.contains(e.kind))
            continue;
        QString label = eventLabel(e.kind);
        if (!e.detail.isEmpty())
            label += QStringLiteral(": ") + e.detail;
        marks.append({offsetMs(e.at),
                      critical ? TimelineBar::MarkKind::Critical : TimelineBar::MarkKind::Event,
                      label});
    }
    m_timeline->setBookmarks(marks);
}

void RecallView::seekBy(qint64 deltaMs)
{
    if (hasCall())
        m_player.seek(m_player.positionMs() + deltaMs);
}

void RecallView::showPosition(qint64 ms)
{
    m_timeline->setPosition(ms);
    m_position->setText(
        QStringLiteral("%1 / %2").arg(durationLabel(ms), durationLabel(m_player.durationMs())));
    const int segment = lastAtOrBefore(m_segmentMs, ms);
    if (segment != m_currentSegment) {
        m_currentSegment = segment;
        if (segment >= 0) {
            m_transcript->setCurrentRow(segment);
            m_transcript->scrollToItem(m_transcript->item(segment),
                                       QAbstractItemView::PositionAtCenter);
        } else {
            m_transcript->setCurrentRow(-1);
        }
    }
    const int frame = lastAtOrBefore(m_frameMs, ms);
    if (frame != m_currentFrame) {
        m_currentFrame = frame;
        QPixmap pixmap;
        if (frame >= 0 && pixmap.load(m_call.frames.at(frame).path))
            m_frame->setPixmap(
                pixmap.scaled(m_frame->size(), Qt::KeepAspectRatio, Qt::SmoothTransformation));
        else
            m_frame->setText(frame >= 0 ? tr("(frame unreadable)") : tr("(no camera frame)"));
    }
}

} // namespace dispatch
