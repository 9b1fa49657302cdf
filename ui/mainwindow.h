#pragma once

#include "gemini/modelchoice.h"
#include "triage/shadowbudget.h"

#include <memory>

#include "calllists.h"
#include "mapview.h"

#include <QDateTime>
#include <QMainWindow>
#include <QPointer>

#include <functional>

class QLabel;
class QSettings;
class QTableView;
class QToolBar;

namespace dispatch {

namespace remote {
class HostLink;
}

class AlarmBar;
class AlertSound;
class CallActions;
class CallAudio;
class AlertState;
class CallDetailPanel;
class CallGuards;
class CallStore;
class ElidedLabel;
class HistoryWindow;
class PhoneServer;
class ShortcutLegend;
class Storage;
class VitalsHistory;

// Lays out the console's panels and wires them; it does not parse messages.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    // The console on its own host: it acts on its calls directly, as "console".
    MainWindow(CallStore &store, PhoneServer &server, const MapConfig &map = {},
               QWidget *parent = nullptr);
    // Any console: `actions` carries out what the dispatcher does (on this host, or on the
    // host a remote console is connected to); `server` is null on a remote console.
    MainWindow(CallStore &store, CallActions &actions, PhoneServer *server,
               const MapConfig &map = {}, QWidget *parent = nullptr);
    ~MainWindow() override;

    QString selectedCallId() const;
    CallDetailPanel *detailPanel() const { return m_detail; }
    AlertState *alertState() const { return m_alerts; }
    // The dialogs that ask before ending or transferring a call.
    CallGuards *callGuards() const { return m_guards; }
    CallAudio *callAudio() const { return m_audio; }

    // Commands, also bound to keyboard shortcuts.
    void answerNextRingingCall();
    void holdOrResumeSelectedCall();
    // Ends the selected call; a serious one (needsDisposition) asks for a disposition first.
    void endSelectedCall();
    void selectCall(const QString &callId);
    void acceptSelectedLocation();
    // Opens the picker of dispatchers to hand the selected call to.
    void transferSelectedCall();
    void takeOverSelectedCall();
    // A remote console shows its link to the host in the status bar.
    void setHostLink(remote::HostLink *link);
    // The host's Gemini concurrency budget, shown with the sessions in use (0: no Gemini here).
    void setGeminiBudget(int maxSessions) { m_geminiBudget = maxSessions; }
    // The Gemini model list of this console's engine: the status bar names the model in use.
    void setGeminiModels(std::shared_ptr<const gemini::ModelChoice> models)
    {
        m_geminiModels = std::move(models);
    }
    // The engine's local shadows (shadowed calls, the limit and why), read for the status bar.
    void setShadowStatus(std::function<ShadowStatus()> source)
    {
        m_shadowStatus = std::move(source);
    }
    // Where the Settings dialog keeps the API key; the dialog is available once this is set.
    void setDataDir(const QString &dataDir) { m_dataDir = dataDir; }
    void openSettings();
    // The host's remote-console tokens (from Settings).
    void openTokens(QWidget *parent);
    MapView *mapView() const { return m_map; }
    // Call history and the disk alarm. Without storage (or while it is unavailable) the
    // history action says why instead of opening. The operator (CallActions) is the audit
    // trail's actor.
    void setStorage(Storage *storage);
    // Opens the history window on the calls of this shift (F9).
    void openHistory();
    HistoryWindow *historyWindow() const;
    // The disk/storage alarm as shown (empty while storage is healthy).
    QString storageAlarmText() const;
    QString hostLinkAlarmText() const; // empty unless this remote console's host link is down
    // No speaker or no (working) microphone, as shown (empty while both work).
    QString audioDeviceAlarmText() const;
    // --demo where the dispatcher answers: says so in the status bar, with the key to press.
    void setDemoHint(bool on);
    // The live queue (urgency order) and the calls that ended recently.
    CallLists *callLists() const { return m_lists; }
    QTableView *queueView() const { return m_lists->queueView(); }
    QTableView *recentView() const { return m_lists->recentView(); }
    // Opens the list of keyboard shortcuts (F1), or closes it.
    void toggleShortcutLegend();
    ShortcutLegend *shortcutLegend() const { return m_legend; }

    // Shows the window where the dispatcher left it (ConsoleSettings), maximised on the
    // available screen on the first start or when the saved place no longer fits.
    void showWhereLeft(QSettings &settings);
    // Remembers where the window is for the next start.
    void rememberGeometry(QSettings &settings) const;

    // What quitting a console that hosts live calls would end.
    struct LiveCalls
    {
        int live = 0;
        int ringing = 0;
        int critical = 0;
    };
    // Asked before closing while this host has live calls; true: quit and end them. The default
    // asks the dispatcher in a dialog whose default button keeps the console running.
    using QuitConfirmation = std::function<bool(const LiveCalls &)>;
    void setQuitConfirmation(QuitConfirmation confirm) { m_confirmQuit = std::move(confirm); }
    LiveCalls liveCalls() const;

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    bool askToQuit(const LiveCalls &calls);
    void createActions();
    void updateStatus();
    void updateAlertSound();
    void updateStorageAlarm();
    void updateAudioDeviceAlarm();
    AlarmBar *addAlarmBar(const QString &title, const QString &objectName);

    CallStore &m_store;
    CallActions &m_actions;
    PhoneServer *m_server;
    QuitConfirmation m_confirmQuit;
    remote::HostLink *m_hostLink = nullptr;
    VitalsHistory *m_vitals;
    AlertState *m_alerts;
    AlertSound *m_sound;
    CallLists *m_lists;
    CallDetailPanel *m_detail;
    MapView *m_map;
    CallAudio *m_audio;
    ElidedLabel *m_serverLabel;
    QLabel *m_phonesLabel;
    QLabel *m_ringingLabel;
    QLabel *m_aiLabel;
    CallGuards *m_guards;
    int m_geminiBudget = 0;
    std::shared_ptr<const gemini::ModelChoice> m_geminiModels;
    std::function<ShadowStatus()> m_shadowStatus; // empty: no engine here (a remote console)
    QString m_dataDir;
    QDateTime m_startedAt;
    Storage *m_storage = nullptr;
    QPointer<HistoryWindow> m_history;
    AlarmBar *m_storageAlarm = nullptr;
    AlarmBar *m_hostLinkAlarm = nullptr;
    AlarmBar *m_audioDeviceAlarm = nullptr;
    QLabel *m_demoLabel = nullptr;
    QLabel *m_storageLabel = nullptr;
    ShortcutLegend *m_legend = nullptr;
};

} // namespace dispatch
