#pragma once

#include <QTimer>
#include <QWidget>

class QWebEngineView;

namespace dispatch {

class CallStore;

struct MapConfig
{
    QString tileUrl; // e.g. https://tiles.example.local/{z}/{x}/{y}.png; empty: offline basemap
    QString attribution;
};

// The caller map: every live call as a marker coloured by severity, the selected call's accuracy
// circle and track; phone locations drawn dashed ("unverified") until the dispatcher accepts
// them. The page (Leaflet, offline basemap) gets one update per coalescing tick, not per event.
class MapView : public QWidget
{
    Q_OBJECT

public:
    MapView(CallStore &store, MapConfig config, QWidget *parent = nullptr);

    void setSelectedCall(const QString &callId);
    bool isPageReady() const { return m_ready; }
    QWebEngineView *view() const { return m_view; }
    // The JSON the page is given, exposed for tests.
    QByteArray stateJson() const;

Q_SIGNALS:
    void pageReady();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void markDirty() { m_dirty = true; }
    void push();

    CallStore &m_store;
    MapConfig m_config;
    QWebEngineView *m_view;
    QString m_selected;
    QTimer m_flush;
    bool m_ready = false;
    bool m_dirty = true;
};

} // namespace dispatch
