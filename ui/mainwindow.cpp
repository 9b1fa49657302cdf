#include "mainwindow.h"

#include "callqueuemodel.h"
#include "calls/callstore.h"
#include "phone/phoneserver.h"

#include <QAction>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>
#include <QToolBar>

namespace dispatch {

MainWindow::MainWindow(CallStore &store, PhoneServer &server, QWidget *parent)
    : QMainWindow(parent)
    , m_store(store)
    , m_server(server)
    , m_queue(new CallQueueModel(store, this))
    , m_queueView(new QTableView(this))
    , m_serverLabel(new QLabel(this))
    , m_phonesLabel(new QLabel(this))
{
    setWindowTitle(tr("Dispatch Console"));
    m_queueView->setModel(m_queue);
    m_queueView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_queueView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_queueView->horizontalHeader()->setStretchLastSection(true);
    m_queueView->verticalHeader()->hide();
    m_queueView->setAccessibleName(tr("Call queue"));
    setCentralWidget(m_queueView);
    createActions();

    statusBar()->addWidget(m_serverLabel, 1);
    statusBar()->addPermanentWidget(m_phonesLabel);
    auto *timer = new QTimer(this);
    connect(timer, &QTimer::timeout, this, &MainWindow::updateStatus);
    timer->start(1000);
    updateStatus();
    resize(1100, 700);
}

void MainWindow::createActions()
{
    QMenu *callMenu = menuBar()->addMenu(tr("&Call"));
    QToolBar *toolbar = addToolBar(tr("Calls"));
    toolbar->setObjectName(QStringLiteral("callsToolbar"));
    auto add = [&](const QString &text, const QKeySequence &key, auto slot) {
        auto *action = new QAction(text, this);
        action->setShortcut(key);
        action->setToolTip(
            QStringLiteral("%1 (%2)").arg(text, key.toString(QKeySequence::NativeText)));
        connect(action, &QAction::triggered, this, slot);
        callMenu->addAction(action);
        toolbar->addAction(action);
        return action;
    };
    add(tr("&Answer next call"), QKeySequence(Qt::Key_F2), &MainWindow::answerNextRingingCall);
    add(tr("&Hold / resume"), QKeySequence(Qt::Key_F3), &MainWindow::holdOrResumeSelectedCall);
    add(tr("&End call"), QKeySequence(Qt::Key_F4), &MainWindow::endSelectedCall);
    callMenu->addSeparator();
    auto *quit = new QAction(tr("&Quit"), this);
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);
    callMenu->addAction(quit);
}

QString MainWindow::selectedCallId() const
{
    const QModelIndexList rows = m_queueView->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : m_queue->callIdAt(rows.constFirst().row());
}

void MainWindow::answerNextRingingCall()
{
    const QString id = m_queue->nextRingingCall();
    if (id.isEmpty()) {
        statusBar()->showMessage(tr("No call is ringing."), 3000);
        return;
    }
    m_store.answer(id, tr("console"));
    m_queueView->selectRow(m_queue->rowOf(id));
}

void MainWindow::holdOrResumeSelectedCall()
{
    const Call *call = m_store.call(selectedCallId());
    if (!call)
        return;
    if (call->state == CallState::OnHold)
        m_store.resume(call->id);
    else if (call->state == CallState::Answered)
        m_store.hold(call->id);
}

void MainWindow::endSelectedCall()
{
    const QString id = selectedCallId();
    if (!id.isEmpty())
        m_store.end(id, EndReason::DispatcherEnded);
}

void MainWindow::updateStatus()
{
    QString text = tr("Phones connect to %1").arg(m_server.url().toString());
    if (m_server.isSecure())
        text += QStringLiteral("  |  ") + tr("TLS fingerprint %1").arg(m_server.tlsFingerprint());
    m_serverLabel->setText(text);
    m_phonesLabel->setText(tr("%n phone(s) connected", nullptr, m_server.connectedPhones()));
}

} // namespace dispatch
