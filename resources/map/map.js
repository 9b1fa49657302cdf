// Caller map: the C++ side (MapView) calls dispatchMap.configure() once and dispatchMap.update()
// on a coalescing timer. Offline by default: a country basemap from Natural Earth; street tiles
// only when the site configures a tile server it can reach.
(function () {
  'use strict';
  const map = L.map('map', { preferCanvas: true, worldCopyJump: true, zoomControl: true })
    .setView([20, 0], 2);
  let basemap = null;
  let tiles = null;
  const markers = new Map();
  let accuracy = null;
  let track = null;
  let lastSelected = null;
  // Index 0: not triaged yet, grey (never the low-severity green). Low-confidence (keywords-only)
  // assessments are muted the same way: keyword hits alone do not colour a call.
  const severityColors = ['#757575', '#43a047', '#7cb342', '#f9a825', '#ef6c00', '#c62828'];
  const lowConfidenceColor = '#4a4f57';

  // XHR rather than fetch(): it works on the qrc: scheme the page is served from.
  const xhr = new XMLHttpRequest();
  xhr.open('GET', 'vendor/countries-110m.json');
  xhr.onload = () => {
    try {
      const topo = JSON.parse(xhr.responseText);
      basemap = L.geoJSON(topojson.feature(topo, topo.objects.countries), {
        style: { color: '#5b7186', weight: 1, fillColor: '#2c3e50', fillOpacity: 1 }
      }).addTo(map);
      basemap.bringToBack();
      document.body.dataset.basemap = 'loaded';
    } catch (e) { document.body.dataset.basemap = 'failed'; }
  };
  xhr.onerror = () => { document.body.dataset.basemap = 'failed'; };
  xhr.send();

  function configure(config) {
    if (tiles) { map.removeLayer(tiles); tiles = null; }
    if (config.tileUrl) {
      tiles = L.tileLayer(config.tileUrl, { maxZoom: 19, attribution: config.attribution || '' });
      tiles.on('tileerror', () => { document.body.dataset.tiles = 'error'; });
      tiles.addTo(map);
    }
    document.getElementById('legend').textContent = config.legend || '';
  }

  // state = { calls: [{id, label, lat, lng, accuracy, severity, lowConfidence, state, accepted}],
  //           selected, track }
  function update(state) {
    const seen = new Set();
    for (const c of state.calls) {
      seen.add(c.id);
      const selected = c.id === state.selected;
      const style = {
        radius: selected ? 11 : 7,
        color: c.accepted ? '#ffffff' : '#ffb300',
        dashArray: c.accepted ? null : '3 3',
        weight: selected ? 3 : 2,
        fillColor: c.lowConfidence ? lowConfidenceColor : (severityColors[c.severity || 0] || '#757575'),
        fillOpacity: c.state === 'on_hold' ? 0.4 : 0.9
      };
      let m = markers.get(c.id);
      if (!m) {
        m = L.circleMarker([c.lat, c.lng], style).addTo(map);
        markers.set(c.id, m);
      } else {
        m.setLatLng([c.lat, c.lng]);
        m.setStyle(style);
      }
      const label = c.label || c.id; // translated by the console
      if (selected) m.bindTooltip(label, { permanent: true, className: 'call-label' }).openTooltip();
      else m.unbindTooltip();
    }
    for (const [id, m] of markers) {
      if (!seen.has(id)) { map.removeLayer(m); markers.delete(id); }
    }
    if (accuracy) { map.removeLayer(accuracy); accuracy = null; }
    if (track) { map.removeLayer(track); track = null; }
    const sel = state.calls.find(c => c.id === state.selected);
    if (sel) {
      if (sel.accuracy) {
        accuracy = L.circle([sel.lat, sel.lng], { radius: sel.accuracy, color: '#64b5f6',
                                                  weight: 1, fillOpacity: 0.12 }).addTo(map);
      }
      if (state.track && state.track.length > 1) {
        track = L.polyline(state.track, { color: '#64b5f6', weight: 2, opacity: 0.8 }).addTo(map);
      }
      if (lastSelected !== sel.id) map.setView([sel.lat, sel.lng], Math.max(map.getZoom(), 12));
    }
    lastSelected = sel ? sel.id : null;
    document.body.dataset.markers = String(markers.size);
  }

  window.dispatchMap = { configure, update, markerCount: () => markers.size };
})();
