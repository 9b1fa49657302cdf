#pragma once

#include "domain/call.h"

#include <QTimer>
#include <QWidget>

class QLabel;
class QListView;

namespace dispatch {

class AlertState;
class CallHeader;
class CallerCard;
class CallStore;
class CameraView;
class CriticalBanner;
class TranscriptModel;
class TriageCard;
class VitalsGraph;
class VitalsHistory;

// Everything about the selected call: caller and location card, critical banner, triage card (with
// where the AI triage comes from and the pre-arrival instructions it fetched), vitals, camera,
// transcript. Fast-changing parts (vitals, camera) repaint on one coalescing timer, never per
// message.
class CallDetailPanel : public QWidget
{
    Q_OBJECT

public:
    CallDetailPanel(CallStore &store, VitalsHistory &vitals, AlertState &alerts,
                    QWidget *parent = nullptr);

    void setCall(const QString &callId);
    QString callId() const { return m_callId; }
    // Asks for the shown call's unacknowledged critical flag to be acknowledged (out as
    // acknowledgeRequested); the banner changes when the store says it was.
    void acknowledgeCritical();
    // Asks the dispatcher for new values (an OverrideDialog, window-modal, not blocking); the
    // result goes out as overrideChosen.
    void requestOverride();
    CallHeader *header() const { return m_header; }
    CallerCard *callerCard() const { return m_card; }
    CriticalBanner *banner() const { return m_banner; }

Q_SIGNALS:
    void overrideChosen(const QString &callId, const dispatch::TriageReport &report);
    void acknowledgeRequested(const QString &callId);

private:
    void refreshHeader();
    void refreshTriage();
    void refreshCritical();
    void refreshMedia();
    void refreshPrearrival();

    CallStore &m_store;
    VitalsHistory &m_vitals;
    AlertState &m_alerts;
    QString m_callId;
    CallHeader *m_header;
    CallerCard *m_card;
    CriticalBanner *m_banner;
    TriageCard *m_triage;
    QWidget *m_prearrivalBox;
    QLabel *m_prearrival;
    VitalsGraph *m_heart;
    VitalsGraph *m_breathing;
    CameraView *m_camera;
    TranscriptModel *m_transcript;
    QListView *m_transcriptView;
    QTimer m_repaint;
    bool m_mediaDirty = false;
};

} // namespace dispatch
