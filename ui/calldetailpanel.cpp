#include "calldetailpanel.h"

#include "alertstate.h"
#include "callercard.h"
#include "callheader.h"
#include "callqueuemodel.h"
#include "calls/callstore.h"
#include "cameraview.h"
#include "criticalbanner.h"
#include "overridedialog.h"
#include "transcriptmodel.h"
#include "triagecard.h"
#include "vitalsgraph.h"
#include "vitalshistory.h"

#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QScrollArea>
#include <QSplitter>
#include <QVBoxLayout>

namespace dispatch {

CallDetailPanel::CallDetailPanel(CallStore &store, VitalsHistory &vitals, AlertState &alerts,
                                 QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_vitals(vitals)
    , m_alerts(alerts)
    , m_header(new CallHeader(this))
    , m_card(new CallerCard(store, this))
    , m_banner(new CriticalBanner(this))
    , m_triage(new TriageCard(this))
    , m_prearrivalBox(new QGroupBox(tr("Pre-arrival instructions (read to the caller)"), this))
    , m_prearrival(new QLabel(m_prearrivalBox))
    , m_heart(new VitalsGraph(VitalsGraph::Sign::HeartRate, this))
    , m_breathing(new VitalsGraph(VitalsGraph::Sign::Breathing, this))
    , m_camera(new CameraView(this))
    , m_transcript(new TranscriptModel(store, this))
    , m_transcriptView(new QListView(this))
{
    m_transcriptView->setModel(m_transcript);
    m_transcriptView->setWordWrap(true);
    m_transcriptView->setAccessibleName(tr("Live transcript"));
    m_transcriptView->setUniformItemSizes(false);

    auto *vitalsBox = new QGroupBox(tr("Vitals (from the caller's camera)"), this);
    auto *vitalsLayout = new QVBoxLayout(vitalsBox);
    vitalsLayout->addWidget(m_heart);
    vitalsLayout->addWidget(m_breathing);
    auto *cameraBox = new QGroupBox(tr("Camera"), this);
    (new QVBoxLayout(cameraBox))->addWidget(m_camera);
    auto *transcriptBox = new QGroupBox(tr("Transcript"), this);
    (new QVBoxLayout(transcriptBox))->addWidget(m_transcriptView);
    // The card and the instructions scroll inside their box: a long summary or many steps
    // never make the panel (and so the window) taller than a 768 px screen.
    auto *triageBox = new QGroupBox(tr("Triage"), this);
    auto *triageContent = new QWidget;
    auto *triageLayout = new QVBoxLayout(triageContent);
    triageLayout->setContentsMargins(0, 0, 0, 0);
    triageLayout->addWidget(m_triage);
    m_prearrival->setWordWrap(true);
    m_prearrival->setTextFormat(Qt::PlainText);
    m_prearrival->setTextInteractionFlags(Qt::TextSelectableByMouse);
    (new QVBoxLayout(m_prearrivalBox))->addWidget(m_prearrival);
    triageLayout->addWidget(m_prearrivalBox);
    auto *triageScroll = new QScrollArea(triageBox);
    triageScroll->setWidget(triageContent);
    triageScroll->setWidgetResizable(true);
    triageScroll->setFrameShape(QFrame::NoFrame);
    triageScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    triageScroll->setMinimumHeight(110); // the badge and the headline stay in view
    auto *triageBoxLayout = new QVBoxLayout(triageBox);
    triageBoxLayout->setContentsMargins(4, 4, 4, 4);
    triageBoxLayout->addWidget(triageScroll);

    auto *media = new QWidget(this);
    auto *mediaLayout = new QHBoxLayout(media);
    mediaLayout->setContentsMargins(0, 0, 0, 0);
    mediaLayout->addWidget(vitalsBox, 3);
    mediaLayout->addWidget(cameraBox, 2);

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(triageBox);
    split->addWidget(media);
    split->addWidget(transcriptBox);
    split->setStretchFactor(0, 4);
    split->setStretchFactor(1, 2);
    split->setStretchFactor(2, 3);
    split->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_header);
    layout->addWidget(m_card);
    layout->addWidget(m_banner);
    layout->addWidget(split, 1);

    connect(m_banner, &CriticalBanner::acknowledged, this, &CallDetailPanel::acknowledgeCritical);
    connect(m_triage, &TriageCard::overrideRequested, this, &CallDetailPanel::requestOverride);
    auto ifShown = [this](auto fn) {
        return [this, fn](const QString &id) {
            if (id == m_callId)
                (this->*fn)();
        };
    };
    connect(&store, &CallStore::callStateChanged, this, ifShown(&CallDetailPanel::refreshHeader));
    connect(&store, &CallStore::callTransferred, this, ifShown(&CallDetailPanel::refreshHeader));
    connect(&store, &CallStore::callerConnectionChanged, this,
            ifShown(&CallDetailPanel::refreshHeader));
    connect(&store, &CallStore::triageUpdated, this, ifShown(&CallDetailPanel::refreshTriage));
    connect(&store, &CallStore::triageLinkChanged, this, ifShown(&CallDetailPanel::refreshHeader));
    connect(&store, &CallStore::followUpResolved, this, ifShown(&CallDetailPanel::refreshHeader));
    connect(&store, &CallStore::prearrivalOffered, this,
            ifShown(&CallDetailPanel::refreshPrearrival));
    connect(&alerts, &AlertState::criticalRaised, this, [this](const QString &id) {
        if (id != m_callId)
            return; // the queue's badge (CallLists) tells of other calls
        refreshCritical();
        m_banner->announce();
    });
    connect(&alerts, &AlertState::criticalAcknowledged, this,
            ifShown(&CallDetailPanel::refreshCritical));
    auto markDirty = [this](const QString &id) {
        if (id == m_callId)
            m_mediaDirty = true;
    };
    connect(&vitals, &VitalsHistory::samplesAppended, this, markDirty);
    connect(&store, &CallStore::frameReceived, this,
            [this](const QString &id, const QByteArray &jpeg) {
                if (id != m_callId)
                    return;
                m_camera->setFrame(jpeg, m_store.now());
                m_mediaDirty = true;
            });
    m_repaint.setInterval(500); // media at 2 Hz is plenty for 1 Hz vitals and 1 fps frames
    connect(&m_repaint, &QTimer::timeout, this, [this] {
        if (m_mediaDirty)
            refreshMedia();
        m_camera->update(); // the frame's age ticks
    });
    m_repaint.start();
    setCall(QString());
}

void CallDetailPanel::setCall(const QString &callId)
{
    m_callId = callId;
    m_transcript->setCall(callId);
    m_card->setCall(callId);
    m_camera->clear();
    refreshHeader();
    refreshTriage();
    refreshCritical();
    refreshMedia();
    refreshPrearrival();
}

void CallDetailPanel::refreshHeader()
{
    m_header->showCall(m_store.call(m_callId));
}

void CallDetailPanel::refreshPrearrival()
{
    const Call *c = m_store.call(m_callId);
    if (!c || c->prearrival.isEmpty()) {
        m_prearrivalBox->hide();
        return;
    }
    const PrearrivalOffer &offer = c->prearrival.constLast();
    QStringList lines{offer.title};
    for (qsizetype i = 0; i < offer.steps.size(); ++i)
        lines << tr("%1. %2").arg(i + 1).arg(offer.steps.at(i));
    m_prearrival->setText(lines.join(QLatin1Char('\n')));
    m_prearrivalBox->show();
}

void CallDetailPanel::refreshTriage()
{
    const Call *c = m_store.call(m_callId);
    if (!c) {
        m_triage->clear();
        return;
    }
    m_triage->showReports(c->triage, c->triageHistory);
    refreshCritical(); // a keywords-only report makes the alert a possible one
}

void CallDetailPanel::refreshCritical()
{
    const Call *c = m_store.call(m_callId);
    if (m_alerts.hasUnacknowledgedCritical(m_callId)) {
        const auto alert = m_alerts.critical(m_callId);
        const bool unconfirmed = c && c->triage && c->triage->isLowConfidence();
        m_banner->showAlert(alert.reason, alert.severity, unconfirmed);
    } else if (c && c->criticalAlert.isAcknowledged()) {
        m_banner->showAcknowledged(c->criticalAlert.reason, c->criticalAlert.acknowledgedBy.name,
                                   c->criticalAlert.acknowledgedAt);
    } else {
        m_banner->hide();
    }
}

void CallDetailPanel::refreshMedia()
{
    m_mediaDirty = false;
    const auto &samples = m_vitals.samples(m_callId);
    m_heart->setSamples(samples);
    m_breathing->setSamples(samples);
}

void CallDetailPanel::acknowledgeCritical()
{
    if (m_alerts.hasUnacknowledgedCritical(m_callId))
        Q_EMIT acknowledgeRequested(m_callId);
}

void CallDetailPanel::requestOverride()
{
    const Call *c = m_store.call(m_callId);
    if (!c || !c->isLive())
        return;
    // Window-modal without blocking; it goes when its call ends under it.
    auto *dialog = new OverrideDialog(c->triage, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const QString id = m_callId;
    connect(dialog, &QDialog::accepted, this,
            [this, dialog, id] { Q_EMIT overrideChosen(id, dialog->report()); });
    connect(&m_store, &CallStore::callEnded, dialog, [dialog, id](const QString &ended) {
        if (ended == id)
            dialog->reject();
    });
    dialog->open();
}

} // namespace dispatch
