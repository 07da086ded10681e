/**
 * The dashboard's page and script, as source text. They are plain browser JavaScript with no
 * library, so there is no bundle to build or to go stale: a fresh clone serves them as they
 * are, in `pnpm build`'s output and in tests that load `src/` alike.
 */
export const DASHBOARD_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Polis live dashboard</title>
<link rel="icon" href="data:,">
<style>
body { font-family: system-ui, sans-serif; margin: 0; display: grid; grid-template-columns: 2fr 1fr; gap: 12px; padding: 12px; background: #f4f5f7; }
h1 { grid-column: 1 / 3; margin: 0; font-size: 20px; }
section { background: #fff; border-radius: 6px; padding: 8px; }
svg { width: 100%; height: 480px; background: #eef2ee; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
td, th { border-bottom: 1px solid #ddd; padding: 2px 4px; text-align: left; }
.incident { fill: #d33; } .unit { fill: #1565c0; } .signal-green { fill: #2e7d32; } .signal-red { fill: #c62828; } .station { fill: #f9a825; }
</style>
</head>
<body>
<h1>Polis live dashboard <small id="status">connecting</small></h1>
<section><svg id="map" viewBox="0 0 1000 600" aria-label="city map"><g id="roads"></g><g id="marks"></g></svg></section>
<section><h2>Plugins</h2><table id="plugins"><thead><tr><th>plugin</th><th>state</th><th>handled</th><th>dead letters</th></tr></thead><tbody></tbody></table></section>
<section style="grid-column: 1 / 3"><h2>Latest events</h2><table id="events"><thead><tr><th>time</th><th>type</th><th>subject</th><th>data</th></tr></thead><tbody></tbody></table></section>
<script src="/dashboard.js"></script>
</body>
</html>
`;

export const DASHBOARD_SCRIPT = String.raw`'use strict';
(() => {
  const params = new URLSearchParams(location.search);
  const token = params.get('token') || '';
  const adminToken = params.get('admin');
  const SVG = 'http://www.w3.org/2000/svg';
  const marks = new Map();
  const points = [];

  // Every string shown goes through textContent or setAttribute: nothing is parsed as HTML.
  function cell(row, text) { const td = document.createElement('td'); td.textContent = String(text); row.appendChild(td); }

  function positionOf(data) {
    if (!data || typeof data !== 'object') return undefined;
    const loc = data.location || data.position || data;
    const lat = loc.lat ?? loc.latitude, lon = loc.lon ?? loc.lng ?? loc.longitude;
    return typeof lat === 'number' && typeof lon === 'number' ? { lat, lon } : undefined;
  }

  // An equirectangular fit of everything seen so far: the city's extent, with no map tiles.
  function project(p) {
    const lats = points.map((q) => q.lat), lons = points.map((q) => q.lon);
    const minLat = Math.min(...lats), maxLat = Math.max(...lats), minLon = Math.min(...lons), maxLon = Math.max(...lons);
    const spanLat = Math.max(maxLat - minLat, 0.001), spanLon = Math.max(maxLon - minLon, 0.001);
    return { x: 40 + ((p.lon - minLon) / spanLon) * 920, y: 560 - ((p.lat - minLat) / spanLat) * 520 };
  }

  function redraw() {
    for (const mark of marks.values()) {
      const { x, y } = project(mark.position);
      mark.node.setAttribute('cx', String(x));
      mark.node.setAttribute('cy', String(y));
    }
  }

  function kindOf(type) {
    if (type.includes('signal')) return 'signal';
    if (type.includes('incident')) return 'incident';
    if (type.includes('aqi') || type.includes('air')) return 'station';
    return 'unit';
  }

  function place(event) {
    const position = positionOf(event.data);
    const key = event.subject || (event.data && (event.data.incidentId || event.data.unitId || event.data.signalId || event.data.id)) || event.id;
    const kind = kindOf(event.type);
    let mark = marks.get(kind + ':' + key);
    if (!mark && !position) return;
    if (!mark) {
      const node = document.createElementNS(SVG, 'circle');
      node.setAttribute('r', kind === 'incident' ? '9' : '6');
      const title = document.createElementNS(SVG, 'title');
      node.appendChild(title);
      document.getElementById('marks').appendChild(node);
      mark = { node, title, position };
      marks.set(kind + ':' + key, mark);
    }
    if (position) { mark.position = position; points.push(position); }
    const state = event.data && (event.data.state || event.data.interval);
    mark.node.setAttribute('class', kind === 'signal' ? (String(state).toLowerCase().includes('green') ? 'signal-green' : 'signal-red') : kind);
    mark.node.setAttribute('data-key', String(key));
    if (state !== undefined) mark.node.setAttribute('data-state', String(state));
    mark.title.textContent = event.type + ' ' + key;
    redraw();
  }

  function list(event) {
    const body = document.querySelector('#events tbody');
    const row = document.createElement('tr');
    cell(row, (event.time || '').slice(11, 19));
    cell(row, event.type);
    cell(row, event.subject || '');
    cell(row, JSON.stringify(event.data));
    body.insertBefore(row, body.firstChild);
    while (body.children.length > 50) body.removeChild(body.lastChild);
  }

  const stream = new EventSource('/events/stream?access_token=' + encodeURIComponent(token));
  stream.onopen = () => { document.getElementById('status').textContent = 'live'; };
  stream.onerror = () => { document.getElementById('status').textContent = 'reconnecting'; };
  stream.onmessage = (message) => {
    const event = JSON.parse(message.data);
    list(event);
    place(event);
  };

  async function refreshPlugins() {
    if (!adminToken) return;
    const response = await fetch('/admin/plugins', { headers: { authorization: 'Bearer ' + adminToken } });
    if (!response.ok) return;
    const { plugins } = await response.json();
    const body = document.querySelector('#plugins tbody');
    body.replaceChildren();
    for (const plugin of plugins) {
      const row = document.createElement('tr');
      row.setAttribute('data-plugin', plugin.name);
      cell(row, plugin.name);
      cell(row, plugin.state);
      cell(row, plugin.counts.handled);
      cell(row, plugin.counts.deadLettered);
      body.appendChild(row);
    }
  }
  refreshPlugins();
  setInterval(refreshPlugins, 1000);
})();
`;
