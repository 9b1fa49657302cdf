#include "remoteconsole.h"

#include "calls/callstore.h"
#include "callwall.h"
#include "dashboard/hostlink.h"
#include "dashboard/mediarelay.h"
#include "dashboard/remotecallactions.h"
#include "dashboard/storemirror.h"
#include "hostlinktext.h"
#include "mainwindow.h"
#include "screenshot.h"

#include <QCoreApplication>
#include <QSettings>
#include <QTextStream>

namespace dispatch {

int runRemoteConsole(const AppOptions &options, QTextStream &err)
{
    remote::HostClock clock;
    CallStore mirror(CallStoreConfig{}, [&clock] { return clock.now(); });
    remote::HostLinkConfig config;
    config.url = options.remote.url;
    config.token = options.remote.token;
    config.pinnedSha256 = options.remote.fingerprint;
    remote::HostLink link(config);
    remote::StoreMirror view(mirror, link, clock);
    remote::MediaRelay media(mirror, link, view);
    remote::RemoteCallActions actions(link, view);
    QObject::connect(&link, &remote::HostLink::stateChanged, &link,
                     [&err](remote::HostLink::State state, const remote::HostLinkStatus &status) {
                         if (state == remote::HostLink::State::Refused)
                             err << HostLinkText::banner(state, status) << Qt::endl;
                     });

    MapConfig mapConfig;
    mapConfig.tileUrl = options.tileUrl;
    std::unique_ptr<QWidget> window;
    MainWindow *mainWindow = nullptr;
    if (options.wall) {
        window = std::make_unique<CallWall>(mirror);
    } else {
        auto console = std::make_unique<MainWindow>(mirror, actions, nullptr, mapConfig);
        console->setHostLink(&link);
        mainWindow = console.get();
        window = std::move(console);
    }
    QSettings settings;
    if (mainWindow)
        mainWindow->showWhereLeft(settings); // maximised on the first start
    else
        window->show();
    link.start();
    scheduleScreenshot(window.get(), options.screenshotPath, options.screenshotAfterMs, err);
    const int rc = QCoreApplication::exec();
    if (mainWindow && options.screenshotPath.isEmpty()) // a scripted render is not a layout
        mainWindow->rememberGeometry(settings);
    link.stop();
    return rc;
}

} // namespace dispatch
