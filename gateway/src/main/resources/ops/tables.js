// The device table, the pickup queue and the alerts. Rows are kept per id and reused; a row whose id is gone is
// removed, so the page holds no more nodes than the server sends (the server bounds the queue and the alerts).
import { post } from './api.js';

function cell(row, text, className) {
  const td = document.createElement('td');
  if (className) td.className = className;
  if (text !== undefined) td.textContent = text;
  row.appendChild(td);
  return td;
}

function button(label, onClick, secondary) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  if (secondary) b.className = 'secondary';
  b.addEventListener('click', onClick);
  return b;
}

function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

export function ago(ms, now) {
  if (!ms) return 'never';
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  return new Date(ms).toLocaleTimeString();
}

function clock(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

// ---- devices
const deviceRows = new Map();

export function updateDevices(tbody, devices, admin, onResult, now) {
  const seen = new Set();
  for (const d of devices) {
    seen.add(d.id);
    let row = deviceRows.get(d.id);
    if (!row) {
      const tr = document.createElement('tr');
      tr.dataset.device = d.id;
      row = {
        tr, name: cell(tr, d.id), kind: cell(tr, d.kind || '—'), status: cell(tr), statusPill: document.createElement('span'),
        lastSeen: cell(tr), battery: cell(tr), firmware: cell(tr), rejected: cell(tr), commands: cell(tr, undefined, 'actions admin-only'),
        data: d,
      };
      row.status.appendChild(row.statusPill);
      row.commands.append(
        button('Identify', () => command(d.id, 'identify', onResult), true),
        button('Reboot', () => command(d.id, 'reboot', onResult), true));
      deviceRows.set(d.id, row);
    }
    row.data = d;
    row.commands.hidden = !admin;
    if (row.tr.parentNode !== tbody || tbody.lastChild !== row.tr) tbody.appendChild(row.tr);
    setText(row.statusPill, d.online ? 'online' : 'offline');
    row.statusPill.className = `pill ${d.online ? 'ok' : 'bad'}`;
    setText(row.battery, d.battery == null ? '—' : `${d.battery} %`);
    row.battery.className = d.battery != null && d.battery < 20 ? 'warn' : '';
    setText(row.firmware, d.firmware || '—');
    setText(row.rejected, String(d.rejected || 0));
    setText(row.lastSeen, ago(d.lastSeen, now));
  }
  for (const [id, row] of deviceRows) {
    if (!seen.has(id)) { row.tr.remove(); deviceRows.delete(id); }
  }
}

export function tickDevices(now) {
  for (const row of deviceRows.values()) setText(row.lastSeen, ago(row.data.lastSeen, now));
}

async function command(deviceId, what, onResult) {
  onResult(`${what} ${deviceId}: sending…`);
  const { status, body } = await post(`/api/v1/staff/devices/${encodeURIComponent(deviceId)}/${what}`);
  onResult(`${what} ${deviceId}: ${body.result || body.message || status}`);
}

// ---- pickup queue
const orderRows = new Map();
let serviceLevelS = 300;

const STATES = { READY: 'Ready', ON_THE_WAY: 'On the way', ARRIVED: 'Arrived' };

export function updateQueue(tbody, queue, now, onError) {
  serviceLevelS = queue.serviceLevelS;
  const seen = new Set();
  for (const o of queue.orders) {
    seen.add(o.id);
    let row = orderRows.get(o.id);
    if (!row) {
      const tr = document.createElement('tr');
      tr.dataset.order = o.id;
      row = { tr, id: cell(tr, o.id), customer: cell(tr), state: cell(tr), wait: cell(tr, '', 'wait'), actions: cell(tr, undefined, 'actions'), data: o };
      row.stateLabel = document.createElement('span');
      row.state.appendChild(row.stateLabel);
      const coming = button('Coming', () => orderAction(o.id, 'coming', coming, onError), true);
      const handedOff = button('Handed off', () => orderAction(o.id, 'handoff', handedOff, onError));
      row.actions.append(coming, handedOff);
      orderRows.set(o.id, row);
    }
    row.data = o;
    tbody.appendChild(row.tr); // keeps the server's order: arrived first, longest wait first
    setText(row.customer, o.customer);
    setText(row.stateLabel, STATES[o.state] || o.state);
    row.stateLabel.className = `pill ${o.state === 'ARRIVED' ? 'warn' : ''}`;
    row.tr.dataset.state = o.state;
    renderWait(row, now);
  }
  for (const [id, row] of orderRows) {
    if (!seen.has(id)) { row.tr.remove(); orderRows.delete(id); }
  }
}

function renderWait(row, now) {
  const o = row.data;
  if (o.state === 'ARRIVED') {
    const waited = now - o.arrivedAt;
    setText(row.wait, `waiting ${clock(waited)}`);
    const share = waited / (serviceLevelS * 1000);
    row.wait.className = `wait pill ${share >= 1 ? 'bad' : share >= 0.5 ? 'warn' : 'ok'}`;
  } else if (o.state === 'ON_THE_WAY') {
    setText(row.wait, o.etaMinutes != null ? `ETA ${new Date(o.onTheWayAt + o.etaMinutes * 60000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}` : 'on the way');
    row.wait.className = 'wait';
  } else {
    setText(row.wait, `ready ${ago(o.readyAt, now)}`);
    row.wait.className = 'wait';
  }
}

export function tickQueue(now) {
  for (const row of orderRows.values()) renderWait(row, now);
}

async function orderAction(orderId, what, b, onError) {
  b.disabled = true;
  const { status, body } = await post(`/api/v1/orders/${encodeURIComponent(orderId)}/${what}`);
  b.disabled = false;
  if (status !== 200) onError(`Order ${orderId}: ${body.message || status}`);
  else if (what === 'coming') b.textContent = 'Told ✓';
}

// ---- alerts
const alertRows = new Map();

export function updateAlerts(list, alerts, onError) {
  const seen = new Set();
  for (const a of alerts) {
    seen.add(a.id);
    let row = alertRows.get(a.id);
    if (!row) {
      const li = document.createElement('li');
      li.dataset.alert = a.id;
      const text = document.createElement('span');
      text.className = 'text';
      const ack = button('Acknowledge', async () => {
        ack.disabled = true;
        const { status, body } = await post(`/api/v1/staff/alerts/${encodeURIComponent(a.id)}/ack`);
        if (status !== 200) { ack.disabled = false; onError(body.message || String(status)); }
      }, true);
      li.append(text, ack);
      row = { li, text, ack };
      alertRows.set(a.id, row);
    }
    list.appendChild(row.li);
    const when = new Date(a.raisedAt).toLocaleTimeString();
    const acked = a.ackBy ? ` — acknowledged by ${a.ackBy} at ${new Date(a.ackAt).toLocaleTimeString()}` : '';
    setText(row.text, `${when} ${a.message}${acked}`);
    row.li.classList.toggle('acked', Boolean(a.ackBy));
    row.ack.hidden = Boolean(a.ackBy);
  }
  for (const [id, row] of alertRows) {
    if (!seen.has(id)) { row.li.remove(); alertRows.delete(id); }
  }
}
