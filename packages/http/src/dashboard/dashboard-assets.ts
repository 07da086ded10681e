/**
 * The dashboard's page and script, as source text. They are plain browser JavaScript with no
 * library, so there is no bundle to build or to go stale: a fresh clone serves them as they
 * are, in `pnpm build`'s output and in tests that load `src/` alike. The map is SVG drawn from
 * the deployment's own data (`/dashboard/city.json`): no tiles, so it works offline.
 */
export const DASHBOARD_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Polis live dashboard</title>
<link rel="icon" href="data:,">
<style>
body { font-family: system-ui, sans-serif; margin: 0; display: grid; grid-template-columns: 3fr 2fr; gap: 10px; padding: 10px; background: #f4f5f7; font-size: 13px; }
h1 { grid-column: 1 / 3; margin: 0; font-size: 20px; }
h2 { margin: 0 0 4px; font-size: 14px; }
section { background: #fff; border-radius: 6px; padding: 8px; overflow: hidden; }
.side { display: grid; gap: 10px; align-content: start; }
svg { width: 100%; height: 560px; background: #f7f7f2; }
table { border-collapse: collapse; width: 100%; font-size: 12px; }
td, th { border-bottom: 1px solid #ddd; padding: 2px 4px; text-align: left; }
#layers span { display: inline-block; margin-right: 8px; padding: 1px 6px; border-radius: 8px; background: #e8eaf0; }
#roads line { stroke: #b9bcc4; stroke-width: 3; stroke-linecap: round; }
.corridor { fill: none; stroke: #00a152; stroke-width: 6; stroke-opacity: 0.55; }
.route { fill: none; stroke: #8e24aa; stroke-width: 2; stroke-dasharray: 5 3; }
.incident { fill: #d32f2f; stroke: #fff; stroke-width: 2; }
.unit { fill: #1565c0; stroke: #fff; stroke-width: 1.5; }
.signal { fill: #9e9e9e; stroke: #fff; stroke-width: 1; } .signal-green { fill: #2e7d32; } .signal-red { fill: #c62828; } .signal-yellow { fill: #f9a825; }
.signal-preempted { fill: #00e676; stroke: #004d40; stroke-width: 2; }
.station { stroke: #333; stroke-width: 1; }
.bin { fill: #8bc34a; } .bin-full { fill: #ff9800; } .bin-overflow { fill: #e53935; }
.hub { fill: #5e35b1; stroke: #fff; stroke-width: 1.5; } .hub-busy { fill: #ef6c00; }
.place { fill: #607d8b; }
.aqi-label { font-size: 11px; font-weight: 600; fill: #222; }
</style>
</head>
<body>
<h1>Polis live dashboard <small id="status">connecting</small> <small id="rate"></small></h1>
<section>
<div id="layers" aria-label="layers"></div>
<svg id="map" viewBox="0 0 1000 640" aria-label="city map"><g id="roads"></g><g id="routes"></g><g id="corridors"></g><g id="places"></g><g id="signals"></g><g id="marks"></g><g id="labels"></g></svg>
</section>
<div class="side">
<section><h2>Plugins</h2><table id="plugins"><thead><tr><th>plugin</th><th>state</th><th title="events it published per second, as this screen's stream sees them">events/s</th><th title="dead letters seen on this screen's stream">dead letters</th></tr></thead><tbody></tbody></table></section>
<section id="accountability-panel" hidden><h2>Accountability</h2><table id="accountability"><thead><tr><th>department</th><th>service</th><th>handled</th><th>resolved</th><th>first action (median)</th><th>within SLA</th><th>overdue</th></tr></thead><tbody></tbody></table></section>
<section><h2>Feeders</h2><table id="feeders"><thead><tr><th>feeder</th><th>measured kW</th><th>cap kW</th><th>sessions</th></tr></thead><tbody></tbody></table></section>
<section><h2>Dead letters</h2><table id="dead-letters"><thead><tr><th>time</th><th>plugin</th><th>reason</th></tr></thead><tbody></tbody></table></section>
</div>
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
  const $ = (selector) => document.querySelector(selector);
  /** Every mark on the map by kind and id: { node, position, label? }. */
  const marks = new Map();
  const seen = [];
  let city = { places: [] };
  let extent;
  let events = 0;
  /** Events seen on this screen's stream per publisher since the last tick: the plugins' event rates. */
  const bySource = new Map();
  const deadByPlugin = new Map();

  // Every string shown goes through textContent or setAttribute: nothing is parsed as HTML.
  function cell(row, text) { const td = document.createElement('td'); td.textContent = String(text); row.appendChild(td); }
  function svg(name, attributes, parent) {
    const node = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
    if (parent) parent.appendChild(node);
    return node;
  }
  function titled(node, text) {
    let title = node.querySelector('title');
    if (!title) title = svg('title', {}, node);
    title.textContent = text;
  }

  function positionOf(data) {
    if (!data || typeof data !== 'object') return undefined;
    const loc = data.location || data.position || data;
    const lat = loc.lat ?? loc.latitude, lon = loc.lon ?? loc.lng ?? loc.longitude;
    return typeof lat === 'number' && typeof lon === 'number' ? { lat, lon } : undefined;
  }

  // An equirectangular fit of the city's own data (roads and placed things), or of what has been seen.
  function fit() {
    const points = [];
    if (city.roads) points.push(...city.roads.nodes);
    for (const layer of city.places) points.push(...layer.items);
    if (points.length === 0) points.push(...seen);
    if (points.length === 0) return undefined;
    const lats = points.map((p) => p.lat), lons = points.map((p) => p.lon);
    const minLat = Math.min(...lats), maxLat = Math.max(...lats), minLon = Math.min(...lons), maxLon = Math.max(...lons);
    const spanLat = Math.max(maxLat - minLat, 0.001), spanLon = Math.max(maxLon - minLon, 0.001);
    // Keep the aspect: a degree of longitude is shorter than one of latitude away from the equator.
    const squash = Math.cos(((minLat + maxLat) / 2) * Math.PI / 180);
    const scale = Math.min(920 / (spanLon * squash), 580 / spanLat);
    return { minLat, maxLon, minLon, squash, scale, offX: (1000 - spanLon * squash * scale) / 2, offY: (640 - spanLat * scale) / 2, spanLat };
  }
  function project(p) {
    const e = extent || fit();
    if (!e) return { x: 500, y: 320 };
    return { x: e.offX + (p.lon - e.minLon) * e.squash * e.scale, y: e.offY + (e.spanLat - (p.lat - e.minLat)) * e.scale };
  }

  function placeMark(key, group, position, shape) {
    let mark = marks.get(key);
    if (!mark) {
      const node = svg(shape === 'rect' ? 'rect' : 'circle', {}, $(group));
      mark = { node, position, shape };
      marks.set(key, mark);
    }
    if (position) mark.position = position;
    moveMark(mark);
    return mark;
  }
  function moveMark(mark) {
    if (!mark.position) return;
    const { x, y } = project(mark.position);
    if (mark.shape === 'rect') { mark.node.setAttribute('x', String(x - 4)); mark.node.setAttribute('y', String(y - 4)); }
    else { mark.node.setAttribute('cx', String(x)); mark.node.setAttribute('cy', String(y)); }
    if (mark.label) { mark.label.setAttribute('x', String(x + 9)); mark.label.setAttribute('y', String(y - 7)); }
  }
  function removeMark(key) {
    const mark = marks.get(key);
    if (!mark) return;
    mark.node.remove();
    if (mark.label) mark.label.remove();
    marks.delete(key);
  }
  function label(mark, text) {
    if (!mark.label) mark.label = svg('text', { class: 'aqi-label' }, $('#labels'));
    mark.label.textContent = text;
    moveMark(mark);
  }

  // --- The deployment's data: roads and placed things of the plugins running now. ---
  const PLACE_STYLE = { bins: ['bin', 'rect', 3], stations: ['station', 'circle', 9], hubs: ['hub', 'rect', 0], units: ['unit', 'circle', 7], ambulances: ['unit', 'circle', 7], hospitals: ['place', 'rect', 0], depots: ['place', 'rect', 0] };
  function drawCity() {
    extent = fit();
    const roads = $('#roads');
    roads.replaceChildren();
    if (city.roads) {
      const nodes = new Map(city.roads.nodes.map((n) => [n.id, n]));
      for (const link of city.roads.links) {
        const a = project(nodes.get(link.from)), b = project(nodes.get(link.to));
        svg('line', { x1: a.x, y1: a.y, x2: b.x, y2: b.y, 'data-link': link.id }, roads);
      }
      for (const intersection of city.roads.intersections) {
        const mark = placeMark('signal:' + intersection.id, '#signals', intersection);
        if (!mark.node.getAttribute('class')) setSignal(mark, intersection.id, undefined);
        mark.node.setAttribute('r', '5');
      }
    }
    const wanted = new Set();
    for (const layer of city.places) {
      const [cls, shape, size] = PLACE_STYLE[layer.kind] || ['place', 'circle', 4];
      const kind = cls === 'unit' ? 'unit' : layer.kind;
      for (const item of layer.items) {
        const key = kind + ':' + item.id;
        wanted.add(key);
        const fresh = !marks.has(key);
        const mark = placeMark(key, cls === 'unit' ? '#marks' : '#places', fresh ? item : undefined, shape);
        if (fresh) {
          mark.node.setAttribute('class', cls);
          mark.node.setAttribute('data-key', item.id);
          mark.node.setAttribute('data-layer', layer.kind);
          if (shape === 'rect') { const s = size || 8; mark.node.setAttribute('width', String(s)); mark.node.setAttribute('height', String(s)); }
          else mark.node.setAttribute('r', String(size));
          if (layer.kind === 'stations') mark.node.setAttribute('fill', '#cfd8dc');
          mark.feederId = item.feederId;
          titled(mark.node, layer.plugin + ' ' + layer.kind + ': ' + (item.name || item.id));
        }
      }
    }
    // A layer whose plugin left the city leaves the map.
    for (const [key, mark] of marks) if (mark.node.hasAttribute('data-layer') && !wanted.has(key)) removeMark(key);
    for (const mark of marks.values()) moveMark(mark);
    redrawLines();
    const legend = $('#layers');
    legend.replaceChildren();
    const names = [...(city.roads ? ['roads (' + city.roads.plugin + ')'] : []), ...city.places.map((l) => l.kind + ' (' + l.plugin + ')')];
    for (const name of names) { const span = document.createElement('span'); span.setAttribute('data-layer', name.split(' ')[0]); span.textContent = name; legend.appendChild(span); }
  }
  let citySignature = '';
  async function refreshCity() {
    const response = await fetch('/dashboard/city.json', { headers: { authorization: 'Bearer ' + token } });
    if (!response.ok) return;
    const text = await response.text();
    if (text === citySignature) return;
    citySignature = text;
    city = JSON.parse(text);
    drawCity();
  }

  // --- Lines: green corridors and collection routes, redrawn when the extent changes. ---
  const corridors = new Map();
  const corridorSignals = new Map();
  const routes = new Map();
  function polyline(group, cls, points, key) {
    const node = svg('polyline', { class: cls, points: points.map((p) => { const q = project(p); return q.x + ',' + q.y; }).join(' '), 'data-key': key }, $(group));
    return node;
  }
  function redrawLines() {
    $('#corridors').replaceChildren();
    $('#routes').replaceChildren();
    for (const [id, points] of corridors) polyline('#corridors', 'corridor', points, id);
    for (const [id, points] of routes) polyline('#routes', 'route', points, id);
  }
  function nodePositions(ids) {
    if (!city.roads) return [];
    const nodes = new Map(city.roads.nodes.map((n) => [n.id, n]));
    return ids.map((id) => nodes.get(id)).filter(Boolean);
  }

  function setSignal(mark, key, state) {
    const text = String(state === undefined ? 'normal' : state).toLowerCase();
    const cls = text.includes('preempt') ? 'signal-preempted' : text.includes('green') ? 'signal-green' : text.includes('yellow') || text.includes('amber') ? 'signal-yellow' : text.includes('red') ? 'signal-red' : 'signal';
    mark.node.setAttribute('class', cls);
    mark.node.setAttribute('data-key', String(key));
    if (state !== undefined) mark.node.setAttribute('data-state', String(state));
    titled(mark.node, 'signal ' + key + ': ' + text);
  }

  // --- What events mean on the map. ---
  function aqiColour(aqi) { return aqi <= 50 ? '#00e400' : aqi <= 100 ? '#ffff00' : aqi <= 150 ? '#ff7e00' : aqi <= 200 ? '#ff0000' : aqi <= 300 ? '#8f3f97' : '#7e0023'; }
  function kindOf(type) {
    if (type.includes('signal')) return 'signal';
    if (type.includes('incident')) return 'incident';
    if (type.includes('aqi') || type.includes('air')) return 'station';
    return 'unit';
  }
  function place(event) {
    const d = event.data || {};
    const type = event.type;
    if (type === 'traffic.corridor.planned') {
      corridors.set(d.corridorId, nodePositions(d.nodes || []));
      // The corridor stays drawn until each of its signals is back on its plan.
      corridorSignals.set(d.corridorId, new Set((d.signals || []).map((signal) => signal.intersectionId)));
      return redrawLines();
    }
    if (type === 'traffic.corridor.failed') { corridors.delete(d.corridorId); corridorSignals.delete(d.corridorId); return redrawLines(); }
    if (type === 'traffic.signal.preempted' || type === 'traffic.signal.restored') {
      const mark = marks.get('signal:' + d.intersectionId);
      if (mark) setSignal(mark, d.intersectionId, type.endsWith('preempted') ? 'preempted' : 'restored');
      const waiting = corridorSignals.get(d.corridorId);
      if (type.endsWith('restored') && waiting) {
        waiting.delete(d.intersectionId);
        if (waiting.size === 0) { corridorSignals.delete(d.corridorId); corridors.delete(d.corridorId); redrawLines(); }
      }
      return;
    }
    if (type === 'traffic.signal.changed' && marks.has('signal:' + d.intersectionId)) {
      const mark = marks.get('signal:' + d.intersectionId);
      if (mark.node.getAttribute('data-state') !== 'preempted') setSignal(mark, d.intersectionId, d.interval);
      return;
    }
    if (type === 'environment.aqi.computed') {
      const mark = marks.get('stations:' + d.stationId);
      const index = d.usEpa || d.hj633;
      if (mark && index) { mark.node.setAttribute('fill', aqiColour(index.aqi)); label(mark, 'AQI ' + index.aqi); titled(mark.node, 'station ' + d.stationId + ': AQI ' + index.aqi + ' (' + index.category + ')'); }
      return;
    }
    if (type === 'waste.fill.reported') {
      const mark = marks.get('bins:' + d.binId);
      if (mark) { mark.node.setAttribute('class', d.fillPct >= 95 ? 'bin-overflow' : d.fillPct >= 75 ? 'bin-full' : 'bin'); titled(mark.node, 'bin ' + d.binId + ': ' + Math.round(d.fillPct) + ' %'); }
      return;
    }
    if (type === 'waste.collection.planned') {
      routes.clear();
      for (const route of d.routes || []) routes.set(route.routeId, route.stops.map((s) => s.position));
      return redrawLines();
    }
    if (type === 'energy.feeder.loaded') return feeder(d);
    if (type === 'safety.incident.closed') return removeMark('incident:' + d.incidentId);
    const position = positionOf(d);
    const unitId = d.ambulanceId || d.vehicleId || d.unitId;
    if (unitId && position && !type.includes('incident')) {
      const mark = placeMark('unit:' + unitId, '#marks', position);
      mark.node.setAttribute('class', 'unit');
      mark.node.setAttribute('r', '6');
      mark.node.setAttribute('data-key', String(unitId));
      titled(mark.node, 'unit ' + unitId);
      return;
    }
    generic(event, position);
  }
  // Anything else with a position: incidents, and whatever a plugin of this city reports.
  function generic(event, position) {
    const d = event.data || {};
    const key = event.subject || d.incidentId || d.unitId || d.signalId || d.id || event.id;
    const kind = kindOf(event.type);
    const existing = marks.get(kind + ':' + key) || (kind === 'signal' ? marks.get('signal:' + key) : undefined);
    if (!existing && !position) return;
    if (position) seen.push(position);
    const mark = existing || placeMark(kind + ':' + key, kind === 'signal' ? '#signals' : '#marks', position);
    if (position) { mark.position = position; moveMark(mark); }
    mark.node.setAttribute('r', kind === 'incident' ? '9' : '6');
    if (kind === 'signal') setSignal(mark, key, d.state || d.interval);
    else { mark.node.setAttribute('class', kind); mark.node.setAttribute('data-key', String(key)); titled(mark.node, event.type + ' ' + key); }
    if (!extent) for (const m of marks.values()) moveMark(m);
  }

  const feeders = new Map();
  function feeder(d) {
    feeders.set(d.feederId, d);
    const body = $('#feeders tbody');
    body.replaceChildren();
    for (const f of [...feeders.values()].sort((a, b) => a.feederId.localeCompare(b.feederId))) {
      const row = document.createElement('tr');
      row.setAttribute('data-feeder', f.feederId);
      cell(row, f.feederId); cell(row, f.measuredKw.toFixed(1)); cell(row, f.capKw.toFixed(0)); cell(row, f.sessions);
      body.appendChild(row);
    }
    for (const mark of marks.values()) {
      if (mark.feederId !== d.feederId) continue;
      mark.node.setAttribute('class', d.measuredKw >= 0.8 * d.capKw ? 'hub hub-busy' : 'hub');
      label(mark, Math.round(d.measuredKw) + '/' + Math.round(d.capKw) + ' kW');
    }
  }

  function deadLetter(event) {
    deadByPlugin.set(event.data.plugin, (deadByPlugin.get(event.data.plugin) || 0) + 1);
    const body = $('#dead-letters tbody');
    const row = document.createElement('tr');
    cell(row, (event.time || '').slice(11, 19)); cell(row, event.data.plugin); cell(row, event.data.reason);
    body.insertBefore(row, body.firstChild);
    while (body.children.length > 20) body.removeChild(body.lastChild);
  }

  function list(event) {
    const body = $('#events tbody');
    const row = document.createElement('tr');
    cell(row, (event.time || '').slice(11, 19));
    cell(row, event.type);
    cell(row, event.subject || '');
    cell(row, JSON.stringify(event.data).slice(0, 300));
    body.insertBefore(row, body.firstChild);
    while (body.children.length > 30) body.removeChild(body.lastChild);
  }

  const stream = new EventSource('/events/stream?access_token=' + encodeURIComponent(token));
  stream.onopen = () => { $('#status').textContent = 'live'; };
  stream.onerror = () => { $('#status').textContent = 'reconnecting'; };
  stream.onmessage = (message) => {
    const event = JSON.parse(message.data);
    events++;
    bySource.set(event.source, (bySource.get(event.source) || 0) + 1);
    list(event);
    if (event.type === 'kernel.event.deadlettered') deadLetter(event);
    else place(event);
  };

  // --- Plugins with their state and event rates; a change in who runs redraws the layers. ---
  let pluginsSignature = '';
  let lastPoll = performance.now();
  async function refreshPlugins() {
    const now = performance.now();
    const seconds = Math.max((now - lastPoll) / 1000, 0.001);
    lastPoll = now;
    $('#rate').textContent = (events / seconds).toFixed(0) + ' events/s on this screen';
    events = 0;
    if (!adminToken) return refreshCity();
    const response = await fetch('/admin/plugins', { headers: { authorization: 'Bearer ' + adminToken } });
    if (!response.ok) return;
    const { plugins } = await response.json();
    const body = $('#plugins tbody');
    body.replaceChildren();
    for (const plugin of plugins) {
      const row = document.createElement('tr');
      row.setAttribute('data-plugin', plugin.name);
      cell(row, plugin.name);
      cell(row, plugin.state);
      cell(row, ((bySource.get(plugin.name) || 0) / seconds).toFixed(1));
      cell(row, deadByPlugin.get(plugin.name) || 0);
      body.appendChild(row);
    }
    bySource.clear();
    const signature = plugins.map((p) => p.name + ':' + p.state).join(',');
    if (signature !== pluginsSignature) { pluginsSignature = signature; await refreshCity(); }
  }

  async function refreshAccountability() {
    if (!city.accountability) return;
    const response = await fetch('/accountability.json');
    if (!response.ok) return;
    const view = await response.json();
    $('#accountability-panel').hidden = false;
    const body = $('#accountability tbody');
    body.replaceChildren();
    const minutes = (ms) => (ms === null ? '-' : (ms / 60000).toFixed(1) + ' min');
    for (const d of view.departments) {
      const row = document.createElement('tr');
      row.setAttribute('data-department', d.department);
      cell(row, d.department); cell(row, d.service); cell(row, d.handled); cell(row, d.resolved);
      cell(row, minutes(d.firstActionMs.median)); cell(row, d.withinSla === null ? '-' : Math.round(d.withinSla * 100) + ' %'); cell(row, d.openOverdue);
      body.appendChild(row);
    }
  }

  const tick = () => { refreshPlugins().catch(() => undefined); refreshAccountability().catch(() => undefined); };
  refreshCity().catch(() => undefined);
  tick();
  setInterval(tick, 1000);
})();
`;
