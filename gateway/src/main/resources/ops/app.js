// The ops page: log in, then one WebSocket carries every live widget; it reconnects by itself and says when it
// is disconnected. Manager analytics and admin commands are plain API calls, checked by the server.
import { getJson, post, rememberCsrf, forgetCsrf } from './api.js';
import { drawLayout, updateFloor, updateMarkers } from './floor.js';
import { updateDevices, tickDevices, updateQueue, tickQueue, updateAlerts } from './tables.js';
import { showAnalytics, hideAnalytics } from './analytics.js';

const $ = (id) => document.getElementById(id);
const STREAM = '/api/v1/staff/ops-stream';
const RANK = { associate: 0, manager: 1, admin: 2 };

let staff = null;
let socket = null;
let retryMs = 500;
let retryTimer = 0;
let layoutSeen = false;
let lastDevices = [];
let summary = null;
// Server clock minus ours, from the newest message: wait timers run on the server's clock.
let skewMs = 0;

// For the benchmark and the tests: counts and the last 1024 latencies, in fixed arrays (the heap stays flat).
const RING = 1024;
const stats = {
  messages: 0,
  send: new Float64Array(RING), sendCount: 0,   // page receipt minus the server's send stamp, ms
  event: new Float64Array(RING), eventCount: 0, // page receipt minus a device event's receipt at the gateway, ms
};
window.opsStats = stats;

function record(ring, countKey, value) {
  stats[ring][stats[countKey] % RING] = value;
  stats[countKey]++;
}

function now() {
  return Date.now() + skewMs;
}

function setConnection(state) {
  const pill = $('connection');
  pill.textContent = state;
  pill.className = `pill ${state === 'live' ? 'ok' : state === 'connecting' ? 'warn' : 'bad'}`;
  $('disconnected').hidden = state === 'live' || staff === null;
}

function showLogin(message) {
  staff = null;
  closeStream();
  $('board').hidden = true;
  $('login').hidden = false;
  $('who').hidden = true;
  $('logout').hidden = true;
  $('login-error').textContent = message || '';
  $('disconnected').hidden = true;
  hideAnalytics();
  $('login-id').focus();
}

function showBoard(member) {
  staff = member;
  $('login').hidden = true;
  $('board').hidden = false;
  $('who').hidden = false;
  $('who').textContent = `${member.id} (${member.role})`;
  $('logout').hidden = false;
  const admin = RANK[member.role] >= RANK.admin;
  $('admin').hidden = !admin;
  for (const th of document.querySelectorAll('th.admin-only')) th.hidden = !admin;
  if (RANK[member.role] >= RANK.manager) showAnalytics(); else hideAnalytics();
  openStream();
}

function openStream() {
  closeStream();
  setConnection('connecting');
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const ws = new WebSocket(`${scheme}//${location.host}${STREAM}`);
  socket = ws;
  ws.onmessage = (e) => onMessage(JSON.parse(e.data));
  ws.onopen = () => { retryMs = 500; };
  ws.onclose = (e) => {
    if (socket !== ws) return;
    socket = null;
    if (staff === null) return;
    setConnection('disconnected');
    if (e.code === 4401) { showLogin('Your session ended: log in again.'); return; }
    scheduleReconnect();
  };
}

function closeStream() {
  clearTimeout(retryTimer);
  if (socket) { const ws = socket; socket = null; ws.close(); }
}

// After a gateway restart the staff session may be gone: ask who we are before opening the stream again.
function scheduleReconnect() {
  clearTimeout(retryTimer);
  retryTimer = setTimeout(async () => {
    try {
      const { status, body } = await getJson('/api/v1/staff/me');
      if (status === 401) { showLogin('Your session ended: log in again.'); return; }
      if (status === 200) { rememberCsrf(body.csrfToken); openStream(); return; }
    } catch (e) {
      // The gateway is not answering yet.
    }
    retryMs = Math.min(retryMs * 2, 5000);
    scheduleReconnect();
  }, retryMs);
}

function onMessage(message) {
  const received = Date.now();
  stats.messages++;
  if (message.at) {
    record('send', 'sendCount', received - message.at);
    skewMs = message.at - received;
  }
  switch (message.type) {
    case 'hello':
      setConnection('live');
      break;
    case 'layout':
      layoutSeen = true;
      $('store-name').textContent = message.data.name;
      $('queue-sl').textContent = `service level ${Math.round(message.data.serviceLevelS / 60)} min`;
      drawLayout($('floor-map'), message.data);
      updateMarkers(lastDevices);
      break;
    case 'floor':
      if (layoutSeen) updateFloor(message.data);
      break;
    case 'devices':
      for (const d of message.data) {
        const before = lastDevices.find((p) => p.id === d.id);
        if (d.lastSeen && before && before.lastSeen !== d.lastSeen) record('event', 'eventCount', received - d.lastSeen);
      }
      lastDevices = message.data;
      updateDevices($('device-table').tBodies[0], message.data, RANK[staff.role] >= RANK.admin, adminResult, now());
      updateMarkers(message.data);
      break;
    case 'queue':
      updateQueue($('queue-table').tBodies[0], message.data, now(), flash);
      $('queue-empty').hidden = message.data.orders.length > 0;
      $('queue-more').hidden = message.data.more === 0;
      $('queue-more').textContent = `and ${message.data.more} more`;
      break;
    case 'summary':
      summary = message.data;
      renderSummary();
      break;
    case 'alerts':
      updateAlerts($('alert-list'), message.data, flash);
      $('alerts-empty').hidden = message.data.length > 0;
      break;
    default:
      break;
  }
}

function renderSummary() {
  if (!summary) return;
  $('sum-shoppers').textContent = `${summary.linked + summary.anonymous}`;
  $('sum-orders').textContent = `${summary.openOrders}`;
  $('sum-arrived').textContent = `${summary.arrived}`;
  const waited = summary.oldestArrivalAt ? Math.max(0, Math.floor((now() - summary.oldestArrivalAt) / 1000)) : null;
  $('sum-wait').textContent = waited === null ? '—' : `${Math.floor(waited / 60)}:${String(waited % 60).padStart(2, '0')}`;
  $('sum-offline').textContent = `${summary.devicesOffline}`;
}

function adminResult(text) {
  $('admin-result').textContent = text;
}

function flash(text) {
  $('admin-result').textContent = text;
  $('login-error').textContent = text;
}

$('login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const id = $('login-id').value.trim();
  const password = $('login-password').value;
  $('login-error').textContent = '';
  const { status, body } = await post('/api/v1/staff/login', { id, password });
  $('login-password').value = '';
  if (status === 200) {
    rememberCsrf(body.csrfToken || body.csrf);
    showBoard({ id: body.id || id, role: body.role });
  } else if (status === 429) {
    $('login-error').textContent = `Too many failed logins: try again later. ${body.message || ''}`;
  } else {
    $('login-error').textContent = body.message || 'Wrong staff id or password.';
  }
});

$('logout').addEventListener('click', async () => {
  await post('/api/v1/staff/logout').catch(() => {});
  forgetCsrf();
  showLogin('Logged out.');
});

$('reload-config').addEventListener('click', async () => {
  adminResult('Reloading the configuration…');
  const { status, body } = await post('/api/v1/staff/config/reload');
  adminResult(`Reload: ${body.result || body.message || status}`);
});

// Running timers and "last seen" tick on the page, once a second, over the nodes that exist.
setInterval(() => {
  if (staff === null) return;
  const t = now();
  tickQueue(t);
  tickDevices(t);
  renderSummary();
}, 1000);

(async () => {
  try {
    const { status, body } = await getJson('/api/v1/staff/me');
    if (status === 200) {
      rememberCsrf(body.csrfToken);
      showBoard(body);
      return;
    }
  } catch (e) {
    // Not reachable: show the login, which says so if it fails too.
  }
  showLogin();
})();
