#pragma once

#include <QMainWindow>

class QLabel;
class QTableView;

namespace dispatch {

class CallQueueModel;
class CallStore;
class PhoneServer;

// Lays out the console's panels and wires them; it does not parse messages.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    MainWindow(CallStore &store, PhoneServer &server, QWidget *parent = nullptr);

    QString selectedCallId() const;

    // Commands, also bound to keyboard shortcuts.
    void answerNextRingingCall();
    void holdOrResumeSelectedCall();
    void endSelectedCall();

private:
    void createActions();
    void updateStatus();

    CallStore &m_store;
    PhoneServer &m_server;
    CallQueueModel *m_queue;
    QTableView *m_queueView;
    QLabel *m_serverLabel;
    QLabel *m_phonesLabel;
};

} // namespace dispatch
