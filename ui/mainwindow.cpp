#include "mainwindow.h"

#include "aimodeltext.h"
#include "alarmbar.h"
#include "alertsound.h"
#include "alertstate.h"
#include "audio/audiopanel.h"
#include "audio/callaudio.h"
#include "calldetailpanel.h"
#include "callguards.h"
#include "calllists.h"
#include "calls/callstore.h"
#include "calls/localcallactions.h"
#include "callurgencyorder.h"
#include "callwall.h"
#include "consolesettings.h"
#include "dashboard/hostlink.h"
#include "elidedlabel.h"
#include "history/historywindow.h"
#include "host/phoneserver.h"
#include "hostlinktext.h"
#include "joindialog.h"
#include "refusaltext.h"
#include "settingsdialog.h"
#include "shortcutlegend.h"
#include "storage/storage.h"
#include "storagealarmtext.h"
#include "theme.h"
#include "tokensdialog.h"
#include "vitalshistory.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QLabel>
#include <QMediaDevices>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>

#include <utility>

namespace dispatch {

namespace {

// The host console's own actions, as "console", transferring to whom the host's dashboard hub
// knows.
LocalCallActions *hostActions(CallStore &store, PhoneServer &server)
{
    auto *actions = new LocalCallActions(store, Actor::dispatcher(QStringLiteral("console")));
    actions->setTransferTargets(server.transferTargets());
    QObject::connect(&server, &PhoneServer::transferTargetsChanged, actions,
                     &LocalCallActions::setTransferTargets);
    return actions;
}

} // namespace

MainWindow::MainWindow(CallStore &store, PhoneServer &server, const MapConfig &map, QWidget *parent)
    : MainWindow(store, *hostActions(store, server), &server, map, parent)
{
    m_actions.setParent(this);
}

MainWindow::MainWindow(CallStore &store, CallActions &actions, PhoneServer *server,
                       const MapConfig &map, QWidget *parent)
    : QMainWindow(parent)
    , m_store(store)
    , m_actions(actions)
    , m_server(server)
    , m_vitals(new VitalsHistory(store, this))
    , m_alerts(new AlertState(store, this))
    , m_sound(new AlertSound(this))
    , m_lists(new CallLists(store, *m_alerts, this))
    , m_detail(new CallDetailPanel(store, *m_vitals, *m_alerts, this))
    , m_map(new MapView(store, map, this))
    , m_audio(new CallAudio(store, this))
    , m_serverLabel(new ElidedLabel(this))
    , m_phonesLabel(new QLabel(this))
    , m_ringingLabel(new QLabel(this))
    , m_aiLabel(new QLabel(this))
    , m_guards(new CallGuards(store, actions, this))
    , m_startedAt(QDateTime::currentDateTimeUtc())
{
    setWindowTitle(tr("Dispatch Console"));
    connect(m_lists, &CallLists::callSelected, this, [this](const QString &id) {
        m_detail->setCall(id);
        m_map->setSelectedCall(id);
        m_audio->setCall(id);
    });

    auto *left = new QSplitter(Qt::Vertical, this);
    left->addWidget(m_lists);
    left->addWidget(m_map);
    auto *audioPanel = new AudioPanel(*m_audio, this);
    audioPanel->holdToTalkButton()->setProperty(ShortcutLegend::HeldKeyProperty,
                                                QKeySequence(AudioPanel::HoldToTalkKey));
    left->addWidget(audioPanel);
    left->setSizes({430, 260, 130});
    left->setChildrenCollapsible(false);
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(left);
    split->addWidget(m_detail);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    split->setSizes({540, 860});
    split->setChildrenCollapsible(false);
    setCentralWidget(split);
    createActions();
    m_audioDeviceAlarm = addAlarmBar(tr("Audio device alarm"), QStringLiteral("audioDeviceAlarm"));
    connect(m_audio, &CallAudio::statusChanged, this, &MainWindow::updateAudioDeviceAlarm);
    updateAudioDeviceAlarm();

    connect(m_alerts, &AlertState::ringingChanged, this, &MainWindow::updateAlertSound);
    connect(m_alerts, &AlertState::criticalRaised, this, [this](const QString &id) {
        updateAlertSound();
        QApplication::alert(this);
        if (selectedCallId().isEmpty())
            selectCall(id);
    });
    connect(m_alerts, &AlertState::criticalAcknowledged, this, &MainWindow::updateAlertSound);
    connect(&store, &CallStore::callAdded, this, [this] { QApplication::alert(this); });
    connect(m_detail, &CallDetailPanel::overrideChosen, &m_actions, &CallActions::overrideTriage);
    connect(m_detail, &CallDetailPanel::acknowledgeRequested, &m_actions,
            &CallActions::acknowledgeCritical);
    connect(&m_actions, &CallActions::refused, this, [this](const CallRefusal &refusal) {
        statusBar()->showMessage(RefusalText::of(refusal), 10000);
    });
    connect(m_guards, &CallGuards::told, this,
            [this](const QString &message) { statusBar()->showMessage(message, 10000); });

    statusBar()->addWidget(m_serverLabel, 1);
    statusBar()->addPermanentWidget(m_ringingLabel);
    statusBar()->addPermanentWidget(m_aiLabel);
    statusBar()->addPermanentWidget(m_phonesLabel);
    auto *timer = new QTimer(this);
    connect(timer, &QTimer::timeout, this, &MainWindow::updateStatus);
    timer->start(1000);
    updateStatus();
    resize(1400, 860);
}

MainWindow::~MainWindow()
{
    // Alert audio goes first, while every object is whole: Qt 6.4's sink destructor runs events.
    delete std::exchange(m_sound, nullptr);
}

void MainWindow::showWhereLeft(QSettings &settings)
{
    const ConsoleSettings saved = ConsoleSettings::load(settings);
    if (!saved.windowGeometry.isEmpty() && restoreGeometry(saved.windowGeometry)) {
        if (!saved.windowState.isEmpty())
            restoreState(saved.windowState);
        show();
        return;
    }
    // Offscreen (scripted screenshots, tests) has no real screen: keep the default size.
    if (QGuiApplication::platformName() == QLatin1String("offscreen")) {
        show();
        return;
    }
    // First start: the whole available screen (also without a window manager to maximise).
    if (const QScreen *screen = this->screen())
        setGeometry(screen->availableGeometry());
    showMaximized();
}

void MainWindow::rememberGeometry(QSettings &settings) const
{
    ConsoleSettings current = ConsoleSettings::load(settings);
    current.windowGeometry = saveGeometry();
    current.windowState = saveState();
    current.save(settings);
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
    add(tr("&Follow up abandoned call..."), QKeySequence(Qt::Key_F7),
        [this] { m_guards->followUp(selectedCallId()); });
    callMenu->addSeparator();
    auto *ack = new QAction(tr("Ac&knowledge critical alert"), this);
    ack->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
    connect(ack, &QAction::triggered, m_detail, &CallDetailPanel::acknowledgeCritical);
    callMenu->addAction(ack);
    auto *override = new QAction(tr("&Override triage..."), this);
    override->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_O));
    connect(override, &QAction::triggered, m_detail, &CallDetailPanel::requestOverride);
    callMenu->addAction(override);
    auto *accept = new QAction(tr("Accept caller &location"), this);
    accept->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    accept->setToolTip(tr("Mark the phone's location as verified (Ctrl+L)"));
    connect(accept, &QAction::triggered, this, &MainWindow::acceptSelectedLocation);
    callMenu->addAction(accept);
    auto *transfer = new QAction(tr("&Transfer call..."), this);
    transfer->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_X));
    connect(transfer, &QAction::triggered, this, &MainWindow::transferSelectedCall);
    callMenu->addAction(transfer);
    auto *takeOver = new QAction(tr("Ta&ke over call"), this);
    takeOver->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T));
    takeOver->setToolTip(tr("Answer the selected call or make it yours (Ctrl+Shift+T)"));
    connect(takeOver, &QAction::triggered, this, &MainWindow::takeOverSelectedCall);
    callMenu->addAction(takeOver);
    auto *mute = new QAction(tr("&Mute alert sounds"), this);
    mute->setCheckable(true);
    mute->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_M));
    connect(mute, &QAction::toggled, m_sound, &AlertSound::setMuted);
    callMenu->addAction(mute);
    auto *wall = new QAction(tr("Open the call &wall"), this);
    wall->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_W));
    connect(wall, &QAction::triggered, this, [this] {
        auto *window = new CallWall(m_store); // a top-level window for a second screen
        window->setAttribute(Qt::WA_DeleteOnClose);
        connect(this, &QObject::destroyed, window, &QWidget::close);
        window->show();
    });
    callMenu->addAction(wall);
    callMenu->addSeparator();
    auto *join = new QAction(tr("&Join from a phone..."), this);
    join->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_J));
    join->setEnabled(m_server != nullptr); // phones join the host, not a remote console
    connect(join, &QAction::triggered, this, [this] {
        JoinDialog dialog(m_server->joinInfo(), this);
        dialog.exec();
    });
    callMenu->addAction(join);
    auto *settings = new QAction(tr("&Settings..."), this);
    // The platform's own preferences key where it has one (none on X11 or offscreen), and
    // Ctrl+, everywhere, as the legend and docs say.
    QList<QKeySequence> settingsKeys{QKeySequence(Qt::CTRL | Qt::Key_Comma)};
    for (const QKeySequence &key : QKeySequence::keyBindings(QKeySequence::Preferences)) {
        if (!settingsKeys.contains(key))
            settingsKeys.append(key);
    }
    settings->setShortcuts(settingsKeys);
    settings->setMenuRole(QAction::PreferencesRole);
    connect(settings, &QAction::triggered, this, &MainWindow::openSettings);
    callMenu->addAction(settings);
    QMenu *historyMenu = menuBar()->addMenu(tr("Hi&story"));
    auto *history = new QAction(tr("&Recent calls of this shift"), this);
    history->setShortcut(QKeySequence(Qt::Key_F9));
    history->setToolTip(tr("Search and play back past calls (F9)"));
    connect(history, &QAction::triggered, this, &MainWindow::openHistory);
    historyMenu->addAction(history);
    auto *lists = new QAction(tr("Switch between &queue and recent calls"), this);
    lists->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    connect(lists, &QAction::triggered, m_lists, &CallLists::switchFocus);
    historyMenu->addAction(lists);
    auto *keys = new QAction(tr("&Keyboard shortcuts"), this);
    keys->setShortcut(QKeySequence(Qt::Key_F1));
    connect(keys, &QAction::triggered, this, &MainWindow::toggleShortcutLegend);
    menuBar()->addMenu(tr("&Help"))->addAction(keys);
    auto *quit = new QAction(tr("&Quit"), this);
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);
    callMenu->addAction(quit);
}

void MainWindow::toggleShortcutLegend()
{
    if (!m_legend)
        m_legend = new ShortcutLegend(this);
    if (m_legend->isVisible()) {
        m_legend->close();
        return;
    }
    QList<QAction *> actions;
    for (const QAction *menu : menuBar()->actions())
        actions << (menu->menu() ? menu->menu()->actions() : QList<QAction *>());
    QList<QAbstractButton *> buttons; // this window's own (not a dialog's)
    for (QAbstractButton *button : findChildren<QAbstractButton *>())
        buttons << (button->window() == this ? button : nullptr);
    m_legend->setShortcuts(actions, buttons);
    m_legend->show();
    m_legend->raise();
    m_legend->activateWindow();
}

MainWindow::LiveCalls MainWindow::liveCalls() const
{
    LiveCalls n;
    for (const Call *c : m_store.calls()) {
        if (!c->isLive())
            continue;
        ++n.live;
        n.ringing += c->state == CallState::Ringing ? 1 : 0;
        n.critical += c->triage && c->triage->critical ? 1 : 0;
    }
    return n;
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    // Only a console that hosts the calls ends them by quitting; a remote console's calls stay
    // on their host.
    const LiveCalls calls = m_server ? liveCalls() : LiveCalls{};
    if (calls.live > 0 && !(m_confirmQuit ? m_confirmQuit(calls) : askToQuit(calls))) {
        event->ignore();
        return;
    }
    QMainWindow::closeEvent(event);
}

bool MainWindow::askToQuit(const LiveCalls &calls)
{
    QMessageBox box(
        QMessageBox::Warning, tr("Quit the console?"),
        tr("%n call(s) are live on this console (%1 ringing, %2 critical).", nullptr, calls.live)
            .arg(calls.ringing)
            .arg(calls.critical),
        QMessageBox::NoButton, this);
    box.setInformativeText(tr("Quitting ends every live call: each caller is told that the "
                              "console shut down, and the calls are recorded as ended by a "
                              "shutdown."));
    QPushButton *quit = box.addButton(tr("&Quit and end the calls"), QMessageBox::DestructiveRole);
    QPushButton *keep = box.addButton(tr("&Keep working"), QMessageBox::RejectRole);
    box.setDefaultButton(keep);
    box.setEscapeButton(keep);
    box.exec();
    return box.clickedButton() == quit;
}

void MainWindow::setStorage(Storage *storage)
{
    m_storage = storage;
    if (!m_storageAlarm) {
        // A banner of its own under the toolbar: persistent until storage recovers.
        m_storageAlarm = addAlarmBar(tr("Storage alarm"), QStringLiteral("storageAlarm"));
        m_storageLabel = new QLabel(this);
        m_storageLabel->setStyleSheet(QStringLiteral("color: #e53935; font-weight: bold;"));
        statusBar()->addPermanentWidget(m_storageLabel);
    }
    if (storage)
        connect(&storage->health(), &StorageHealth::stateChanged, this,
                &MainWindow::updateStorageAlarm, Qt::UniqueConnection);
    updateStorageAlarm();
}

HistoryWindow *MainWindow::historyWindow() const
{
    return m_history;
}

QString MainWindow::storageAlarmText() const
{
    return m_storageAlarm ? m_storageAlarm->alarm() : QString();
}

QString MainWindow::audioDeviceAlarmText() const
{
    return m_audioDeviceAlarm->alarm();
}

void MainWindow::updateAudioDeviceAlarm()
{
    if (m_audioDeviceAlarm->setAlarm(m_audio->deviceHealth().alarmText()))
        QApplication::alert(this);
}

void MainWindow::setDemoHint(bool on)
{
    if (!m_demoLabel) {
        m_demoLabel = new QLabel(this);
        m_demoLabel->setObjectName(QStringLiteral("demoHint"));
        m_demoLabel->setStyleSheet(QStringLiteral("font-weight: bold;"));
        statusBar()->insertPermanentWidget(0, m_demoLabel);
    }
    m_demoLabel->setText(on ? tr("DEMO: simulated callers. Press F2 to answer the next call, F1 "
                                 "for every key.")
                            : QString());
    m_demoLabel->setVisible(on);
}

QString MainWindow::hostLinkAlarmText() const
{
    return m_hostLinkAlarm ? m_hostLinkAlarm->alarm() : QString();
}

AlarmBar *MainWindow::addAlarmBar(const QString &title, const QString &objectName)
{
    auto *bar = new AlarmBar(title, objectName, this);
    addToolBarBreak(Qt::TopToolBarArea);
    addToolBar(Qt::TopToolBarArea, bar);
    bar->hide();
    return bar;
}

void MainWindow::updateStorageAlarm()
{
    if (!m_storageAlarm)
        return;
    const StorageAlarmText text = StorageAlarmText::of(m_storage);
    const bool raised = m_storageAlarm->setAlarm(text.banner);
    m_storageLabel->setText(text.status);
    m_storageLabel->setToolTip(text.banner);
    if (raised)
        QApplication::alert(this);
}

void MainWindow::openHistory()
{
    if (!m_storage || !m_storage->history()) {
        const QString why =
            m_storage ? m_storage->health().detail() : tr("this console runs without call storage");
        statusBar()->showMessage(tr("Call history is unavailable: %1").arg(why), 10000);
        return;
    }
    if (!m_history) {
        m_history = new HistoryWindow(*m_storage, m_actions.operatorName(), m_startedAt,
                                      systemClock(), this);
        m_history->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_history->show();
    m_history->raise();
    m_history->activateWindow();
    m_history->showRecent();
}

QString MainWindow::selectedCallId() const
{
    return m_detail->callId();
}

void MainWindow::selectCall(const QString &callId)
{
    m_lists->selectCall(callId);
}

void MainWindow::answerNextRingingCall()
{
    const QString id = m_lists->queue().topRingingCall();
    if (id.isEmpty()) {
        statusBar()->showMessage(tr("No call is ringing."), 3000);
        return;
    }
    m_actions.answer(id);
    selectCall(id);
}

void MainWindow::holdOrResumeSelectedCall()
{
    const Call *call = m_store.call(selectedCallId());
    if (!call)
        return;
    if (call->state == CallState::OnHold)
        m_actions.resume(call->id);
    else if (call->state == CallState::Answered)
        m_actions.hold(call->id);
}

void MainWindow::endSelectedCall()
{
    m_guards->end(selectedCallId());
}

void MainWindow::acceptSelectedLocation()
{
    const QString id = selectedCallId();
    if (id.isEmpty())
        return;
    m_actions.acceptLocation(id);
}

void MainWindow::transferSelectedCall()
{
    m_guards->transfer(selectedCallId());
}

void MainWindow::takeOverSelectedCall()
{
    const QString id = selectedCallId();
    if (!id.isEmpty())
        m_actions.takeOver(id);
}

void MainWindow::setHostLink(remote::HostLink *link)
{
    m_hostLink = link;
    if (!m_hostLinkAlarm)
        m_hostLinkAlarm = addAlarmBar(tr("Host link alarm"), QStringLiteral("hostLinkAlarm"));
    connect(link, &remote::HostLink::stateChanged, this, [this] { updateStatus(); });
    updateStatus();
}

void MainWindow::openSettings()
{
    QSettings stored;
    const ConsoleSettings current = ConsoleSettings::load(stored);
    const ApiKeyFile keyFile(m_dataDir);
    SettingsDialog dialog(current, keyFile, this);
    if (m_server && !m_server->tokenStorePath().isEmpty())
        dialog.setTokenManager([this](QWidget *parent) { openTokens(parent); });
    if (dialog.exec() != QDialog::Accepted)
        return;
    const ConsoleSettings chosen = dialog.settings();
    chosen.save(stored);
    if (const auto key = dialog.newApiKey(); key && !keyFile.write(*key))
        QMessageBox::warning(this, tr("Settings"),
                             tr("The API key could not be stored in %1.").arg(keyFile.path()));
    if (auto *app = qobject_cast<QApplication *>(QCoreApplication::instance()))
        applyTheme(*app, themeFromString(chosen.theme));
    auto device = [](const QList<QAudioDevice> &list, const QString &id) {
        for (const QAudioDevice &d : list) {
            if (QString::fromUtf8(d.id()) == id)
                return d;
        }
        return QAudioDevice();
    };
    if (chosen.outputDeviceId != current.outputDeviceId)
        m_audio->setOutputDevice(device(QMediaDevices::audioOutputs(), chosen.outputDeviceId));
    if (chosen.inputDeviceId != current.inputDeviceId)
        m_audio->setInputDevice(device(QMediaDevices::audioInputs(), chosen.inputDeviceId));
    statusBar()->showMessage(tr("Settings saved."), 3000);
}

void MainWindow::openTokens(QWidget *parent)
{
    TokensDialog dialog(m_server->tokenStorePath(), m_server->dashboardUrl().toString(),
                        m_server->isSecure() ? m_server->tlsFingerprint() : QString(), parent);
    // A revoked person's consoles are closed now, not at the next periodic check; who calls
    // may be transferred to follows at once too.
    connect(&dialog, &TokensDialog::revoked, this, [this] { m_server->revalidateDashboards(); });
    connect(&dialog, &TokensDialog::issued, this, [this] { m_server->revalidateDashboards(); });
    dialog.exec();
}

void MainWindow::updateAlertSound()
{
    if (!m_sound)
        return;
    if (!m_alerts->unacknowledgedCalls().isEmpty())
        m_sound->setPattern(AlertSound::Pattern::Critical);
    else if (m_alerts->anyRinging())
        m_sound->setPattern(AlertSound::Pattern::Ringing);
    else
        m_sound->setPattern(AlertSound::Pattern::None);
}

void MainWindow::updateStatus()
{
    if (m_server) {
        QString text = tr("Phones connect to %1").arg(m_server->url().toString());
        if (m_server->isSecure())
            text +=
                QStringLiteral("  |  ") + tr("TLS fingerprint %1").arg(m_server->tlsFingerprint());
        m_serverLabel->setFullText(text);
        m_phonesLabel->setText(tr("%n phone(s) connected", nullptr, m_server->connectedPhones()));
    } else if (m_hostLink) {
        const auto state = m_hostLink->state();
        const bool up = state == remote::HostLink::State::Connected;
        m_serverLabel->setFullText(
            up ? tr("Remote console of %1 as %2")
                     .arg(m_hostLink->url().toDisplayString(QUrl::RemovePath),
                          m_actions.operatorName())
               : tr("Host link: %1").arg(HostLinkText::of(state, m_hostLink->status())));
        m_serverLabel->setStyleSheet(up ? QString()
                                        : QStringLiteral("color: #ff5252; font-weight: bold;"));
        m_phonesLabel->clear();
        if (m_hostLinkAlarm->setAlarm(HostLinkText::banner(state, m_hostLink->status())))
            QApplication::alert(this);
        m_lists->setClocksFrozen(!up);
    }
    const AiModelText::StatusLine ai =
        AiModelText::statusLine(m_store, m_geminiBudget, m_geminiModels.get(),
                                m_shadowStatus ? std::optional(m_shadowStatus()) : std::nullopt);
    m_aiLabel->setText(ai.text);
    m_aiLabel->setToolTip(ai.tooltip);
    updateStorageAlarm(); // keeps the alarm's detail (free space) current
    const int ringing = m_alerts->ringingCount();
    m_ringingLabel->setText(ringing > 0 ? tr("%n call(s) ringing", nullptr, ringing) : QString());
    m_ringingLabel->setStyleSheet(ringing > 0 ? QStringLiteral("color: #ffb300; font-weight: bold;")
                                              : QString());
}

} // namespace dispatch
