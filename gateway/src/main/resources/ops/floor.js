// The floor map: zones as polygons at the store's real proportions (metres, origin lower left), coloured and
// numbered by occupancy; devices as markers. Nodes are built once per layout and then only updated.
const SVG = 'http://www.w3.org/2000/svg';
const zones = new Map();   // zone id -> { shape, count, detail }
const markers = new Map(); // device id -> marker element
let depth = 0;

function el(name, attrs, parent) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (parent) parent.appendChild(node);
  return node;
}

export function drawLayout(svg, layout) {
  svg.replaceChildren();
  zones.clear();
  markers.clear();
  depth = layout.depthM;
  svg.setAttribute('viewBox', `0 0 ${layout.widthM} ${layout.depthM}`);
  const size = Math.min(layout.widthM, layout.depthM);
  const font = size / 14;
  for (const zone of layout.zones) {
    const group = el('g', { 'data-zone': zone.id }, svg);
    const shape = el('polygon', {
      class: 'zone', points: zone.polygon.map(([x, y]) => `${x},${depth - y}`).join(' '), fill: '#eef1f4',
    }, group);
    el('title', {}, shape).textContent = zone.name;
    const [cx, cy] = zone.label;
    // Text sized to the zone's box, so that narrow aisles keep their labels inside.
    const xs = zone.polygon.map(([x]) => x);
    const ys = zone.polygon.map(([, y]) => y);
    const w = Math.max(...xs) - Math.min(...xs);
    const h = Math.max(...ys) - Math.min(...ys);
    const countFont = Math.min(font, h / 2.5, w / 2);
    const count = el('text', {
      class: 'zone-count', id: `zone-count-${zone.id}`, x: cx, y: depth - cy - countFont * 0.25,
      'font-size': countFont,
    }, group);
    count.textContent = '0';
    const detailFont = Math.min(font * 0.42, (w * 0.92) / (zone.name.length * 0.6));
    const detail = el('text', {
      class: 'zone-detail', x: cx, y: depth - cy + countFont * 0.45 + detailFont * 0.6, 'font-size': detailFont,
    }, group);
    detail.textContent = zone.name;
    zones.set(zone.id, { shape, count, detail, name: zone.name });
  }
  const r = size / 70;
  for (const device of layout.devices) {
    const [x, y] = device.position;
    let marker;
    if (device.kind === 'ble-receiver') {
      marker = el('circle', { cx: x, cy: depth - y, r }, svg);
    } else if (device.kind === 'nfc-reader') {
      marker = el('rect', { x: x - r, y: depth - y - r, width: 2 * r, height: 2 * r }, svg);
    } else {
      marker = el('polygon', { points: `${x},${depth - y - 1.3 * r} ${x + 1.2 * r},${depth - y + r} ${x - 1.2 * r},${depth - y + r}` }, svg);
    }
    marker.setAttribute('class', `device ${device.kind.split('-')[0]}`);
    marker.setAttribute('data-device', device.id);
    el('title', {}, marker).textContent = `${device.id} (${device.kind})`;
    markers.set(device.id, marker);
  }
}

// Light to dark blue with the zone's share of the busiest zone: readable at a glance, numbers for precision.
function colour(share) {
  const light = 96 - Math.round(share * 48);
  return `hsl(212, 70%, ${light}%)`;
}

export function updateFloor(floor) {
  let max = 1;
  for (const [linked, anonymous] of Object.values(floor.zones)) max = Math.max(max, linked + anonymous);
  for (const [id, [linked, anonymous]] of Object.entries(floor.zones)) {
    const zone = zones.get(id);
    if (!zone) continue;
    const total = linked + anonymous;
    const text = String(total);
    if (zone.count.textContent !== text) zone.count.textContent = text;
    const detail = `${zone.name} ${linked}·${anonymous}`;
    if (zone.detail.textContent !== detail) zone.detail.textContent = detail;
    zone.shape.setAttribute('fill', total === 0 ? '#eef1f4' : colour(total / max));
    zone.count.style.fill = total / max > 0.6 ? '#fff' : '';
    zone.count.style.stroke = total / max > 0.6 ? '#1b1f24' : '';
  }
}

export function updateMarkers(devices) {
  for (const device of devices) {
    const marker = markers.get(device.id);
    if (marker) marker.classList.toggle('offline', !device.online);
  }
}
