#include "mapview.h"

#include "callqueuemodel.h"
#include "calls/callstore.h"

#include <QChildEvent>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QKeyEvent>
#include <QLoggingCategory>
#include <QVBoxLayout>
#include <QWebEnginePage>
#include <QWebEngineSettings>
#include <QWebEngineView>

Q_LOGGING_CATEGORY(lcMap, "dispatch.ui.map")

namespace dispatch {

namespace {

// Page console messages go to our log, so map failures are visible without a debugger.
class LoggingPage : public QWebEnginePage
{
public:
    using QWebEnginePage::QWebEnginePage;

protected:
    void javaScriptConsoleMessage(JavaScriptConsoleMessageLevel level, const QString &message,
                                  int line, const QString &source) override
    {
        if (level == ErrorMessageLevel)
            qCWarning(lcMap).noquote() << source << line << message;
        else
            qCDebug(lcMap).noquote() << source << line << message;
    }
};

} // namespace

bool MapView::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::ChildAdded) {
        if (auto *child = qobject_cast<QWidget *>(static_cast<QChildEvent *>(event)->child())) {
            child->setFocusPolicy(Qt::ClickFocus);
            child->installEventFilter(this);
        }
    } else if (event->type() == QEvent::KeyPress && watched != m_view) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (key == Qt::Key_Tab || key == Qt::Key_Backtab) {
            focusNextPrevChild(key == Qt::Key_Tab);
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

MapView::MapView(CallStore &store, MapConfig config, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_config(std::move(config))
    , m_view(new QWebEngineView(this))
{
    auto *page = new LoggingPage(m_view);
    page->settings()->setAttribute(QWebEngineSettings::LocalContentCanAccessRemoteUrls,
                                   !m_config.tileUrl.isEmpty());
    m_view->setPage(page);
    m_view->setAccessibleName(tr("Caller map"));
    m_view->setContextMenuPolicy(Qt::NoContextMenu);
    // The map follows the selected call and is no stop for Tab: the web view's render widget
    // (created later, as a child) takes focus only from a click, and Tab leaves it again
    // instead of cycling through the page (a keyboard trap).
    m_view->setFocusPolicy(Qt::ClickFocus);
    m_view->installEventFilter(this);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);

    connect(m_view, &QWebEngineView::loadFinished, this, [this](bool ok) {
        if (!ok) {
            qCWarning(lcMap) << "map page failed to load";
            return;
        }
        const QJsonObject pageConfig{
            {QStringLiteral("tileUrl"), m_config.tileUrl},
            {QStringLiteral("attribution"), m_config.attribution},
            {QStringLiteral("legend"),
             m_config.tileUrl.isEmpty()
                 ? tr("Offline basemap (Natural Earth). Dashed: location not yet verified.")
                 : tr("Dashed: location not yet verified.")}};
        m_view->page()->runJavaScript(
            QStringLiteral("dispatchMap.configure(%1)")
                .arg(QString::fromUtf8(QJsonDocument(pageConfig).toJson(QJsonDocument::Compact))));
        m_ready = true;
        m_dirty = true;
        push();
        Q_EMIT pageReady();
    });
    connect(&store, &CallStore::callAdded, this, &MapView::markDirty);
    connect(&store, &CallStore::callEnded, this, &MapView::markDirty);
    connect(&store, &CallStore::callRemoved, this, &MapView::markDirty);
    connect(&store, &CallStore::locationAccepted, this, &MapView::markDirty);
    connect(&store, &CallStore::callStateChanged, this, &MapView::markDirty);
    connect(&store, &CallStore::locationUpdated, this, &MapView::markDirty);
    connect(&store, &CallStore::triageUpdated, this, &MapView::markDirty);
    connect(&store, &CallStore::followUpResolved, this, &MapView::markDirty);
    m_flush.setInterval(250);
    connect(&m_flush, &QTimer::timeout, this, &MapView::push);
    m_flush.start();
    m_view->load(QUrl(QStringLiteral("qrc:/map/map.html")));
}

void MapView::setSelectedCall(const QString &callId)
{
    m_selected = callId;
    m_dirty = true;
    push();
}

QByteArray MapView::stateJson() const
{
    QJsonArray calls;
    QJsonArray track;
    for (const Call *c : m_store.calls()) {
        // Live calls, and callers waiting for a callback: where they were matters for a unit.
        const bool callBack = c->followUp == FollowUp::Open;
        if ((!c->isLive() && !callBack) || !c->location)
            continue;
        QString label = callerLabel(c->id);
        if (callBack)
            label = tr("%1 (call back)").arg(label);
        else if (!c->locationAccepted)
            label = tr("%1 (unverified)").arg(label);
        QJsonObject o{{QStringLiteral("id"), c->id},
                      {QStringLiteral("lat"), c->location->latitude},
                      {QStringLiteral("lng"), c->location->longitude},
                      {QStringLiteral("state"), toString(c->state)},
                      {QStringLiteral("accepted"), c->locationAccepted},
                      {QStringLiteral("label"), label},
                      {QStringLiteral("lowConfidence"), c->triage && c->triage->isLowConfidence()},
                      {QStringLiteral("severity"), c->triage ? c->triage->severity : 0}};
        if (c->location->accuracyMeters)
            o.insert(QStringLiteral("accuracy"), *c->location->accuracyMeters);
        calls.append(o);
        if (c->id == m_selected) {
            for (const GeoLocation &p : c->track)
                track.append(QJsonArray{p.latitude, p.longitude});
        }
    }
    return QJsonDocument(QJsonObject{{QStringLiteral("calls"), calls},
                                     {QStringLiteral("selected"), m_selected},
                                     {QStringLiteral("track"), track}})
        .toJson(QJsonDocument::Compact);
}

void MapView::push()
{
    if (!m_ready || !m_dirty)
        return;
    m_dirty = false;
    m_view->page()->runJavaScript(
        QStringLiteral("dispatchMap.update(%1)").arg(QString::fromUtf8(stateJson())));
}

} // namespace dispatch
