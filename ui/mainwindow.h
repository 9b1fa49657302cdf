#pragma once

#include "mapview.h"

#include <QMainWindow>

class QLabel;
class QTableView;

namespace dispatch {

class AlertSound;
class CallAudio;
class AlertState;
class CallDetailPanel;
class CallQueueModel;
class CallStore;
class PhoneServer;
class VitalsHistory;

// Lays out the console's panels and wires them; it does not parse messages.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    MainWindow(CallStore &store, PhoneServer &server, const MapConfig &map = {},
               QWidget *parent = nullptr);
    ~MainWindow() override;

    QString selectedCallId() const;
    CallDetailPanel *detailPanel() const { return m_detail; }
    AlertState *alertState() const { return m_alerts; }
    CallAudio *callAudio() const { return m_audio; }

    // Commands, also bound to keyboard shortcuts.
    void answerNextRingingCall();
    void holdOrResumeSelectedCall();
    void endSelectedCall();
    void selectCall(const QString &callId);
    void acceptSelectedLocation();
    // Where the Settings dialog keeps the API key; the dialog is available once this is set.
    void setDataDir(const QString &dataDir) { m_dataDir = dataDir; }
    void openSettings();
    MapView *mapView() const { return m_map; }

private:
    void createActions();
    void updateStatus();
    void updateAlertSound();

    CallStore &m_store;
    PhoneServer &m_server;
    CallQueueModel *m_queue;
    VitalsHistory *m_vitals;
    AlertState *m_alerts;
    AlertSound *m_sound;
    QTableView *m_queueView;
    CallDetailPanel *m_detail;
    MapView *m_map;
    CallAudio *m_audio;
    QLabel *m_serverLabel;
    QLabel *m_phonesLabel;
    QLabel *m_ringingLabel;
    QLabel *m_aiLabel;
    QString m_dataDir;
};

} // namespace dispatch
