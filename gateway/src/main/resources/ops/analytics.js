// The manager's view of the day, from the analytics API (manager role and above, checked by the server), drawn
// with uPlot. Refreshed every minute while shown; each chart is created once and then given new data.
import uPlot from '/ops/lib/uplot/1.6.30/dist/uPlot.esm.js';
import { getJson } from './api.js';

const REFRESH_MS = 60_000;
const charts = new Map(); // element id -> uPlot
let timer = 0;
const $ = (id) => document.getElementById(id);

function width(el) {
  return Math.max(280, Math.min(560, el.clientWidth || 320));
}

const bars = () => uPlot.paths.bars({ size: [0.7, 60] });

function barChart(id, labels, values, colour, yLabel) {
  const el = $(id);
  const xs = labels.map((_, i) => i);
  const data = [xs, values];
  let chart = charts.get(id);
  if (chart && chart.series[1]._labels?.length === labels.length) {
    chart.series[1]._labels = labels;
    chart.setData(data);
    return;
  }
  if (chart) chart.destroy();
  const opts = {
    width: width(el), height: 200,
    legend: { show: false },
    scales: { x: { time: false, range: [-0.5, Math.max(0.5, labels.length - 0.5)] } },
    axes: [
      { values: (u, splits) => splits.map((i) => (Number.isInteger(i) ? labels[i] ?? '' : '')), stroke: '#1b1f24' },
      { label: yLabel, stroke: '#1b1f24' },
    ],
    series: [{}, { fill: colour, stroke: colour, paths: bars(), points: { show: false } }],
  };
  chart = new uPlot(opts, data, el);
  chart.series[1]._labels = labels;
  charts.set(id, chart);
}

function lineChart(id, hours, series) {
  const el = $(id);
  const data = [hours, ...series.map((s) => s.values)];
  let chart = charts.get(id);
  if (chart) { chart.setData(data); return; }
  chart = new uPlot({
    width: width(el), height: 200,
    scales: { x: { time: false }, y: { range: [-100, 100] }, ces: { range: [1, 7] } },
    axes: [
      { values: (u, splits) => splits.map((h) => `${h}h`), stroke: '#1b1f24' },
      { label: 'CSAT % / NPS', stroke: '#1b1f24' },
      { scale: 'ces', side: 1, label: 'CES', stroke: '#1b1f24', grid: { show: false } },
    ],
    series: [{ label: 'hour' }, ...series.map((s) => ({ label: s.label, stroke: s.colour, width: 2, scale: s.scale || 'y', spanGaps: true }))],
  }, data, el);
  charts.set(id, chart);
}

async function load() {
  const [traffic, dwell, waits, feedback] = await Promise.all([
    getJson('/api/v1/staff/analytics/traffic'), getJson('/api/v1/staff/analytics/dwell'),
    getJson('/api/v1/staff/analytics/pickup-waits'), getJson('/api/v1/staff/analytics/feedback'),
  ]);
  if ([traffic, dwell, waits, feedback].some((r) => r.status !== 200)) {
    $('analytics-updated').textContent = `not available (${traffic.status})`;
    return;
  }
  const hours = traffic.body.hours.map((_, h) => `${h}`);
  barChart('chart-traffic', hours, traffic.body.hours, '#0b57d0', 'shoppers');
  barChart('chart-dwell', dwell.body.zones.map((z) => z.zone), dwell.body.zones.map((z) => Math.round(z.meanS)), '#1a7f37', 's');
  const w = waits.body.counts;
  barChart('chart-waits', w.map((_, i) => (i === w.length - 1 ? `${i}+` : `${i}`)), w, '#b35900', 'orders');
  const fh = feedback.body.byHour;
  lineChart('chart-feedback', fh.map((h) => h.hour), [
    { label: 'CSAT %', colour: '#1a7f37', values: fh.map((h) => h.csat ?? null) },
    { label: 'NPS', colour: '#0b57d0', values: fh.map((h) => h.nps ?? null) },
    { label: 'CES', colour: '#b42318', values: fh.map((h) => h.ces ?? null), scale: 'ces' },
  ]);
  const tbody = $('feedback-table').tBodies[0];
  tbody.replaceChildren(...feedback.body.byTouchpoint.map((t) => {
    const tr = document.createElement('tr');
    for (const v of [t.touchpoint, t.answers, fmt(t.csat), fmt(t.nps), fmt(t.ces, 1)]) {
      const td = document.createElement('td');
      td.textContent = v;
      tr.appendChild(td);
    }
    return tr;
  }));
  $('analytics-updated').textContent = `updated ${new Date().toLocaleTimeString()}`;
}

function fmt(v, digits = 0) {
  return v == null ? '—' : v.toFixed(digits);
}

export function showAnalytics() {
  $('analytics').hidden = false;
  clearInterval(timer);
  load().catch(() => { $('analytics-updated').textContent = 'not available'; });
  timer = setInterval(() => load().catch(() => {}), REFRESH_MS);
}

export function hideAnalytics() {
  clearInterval(timer);
  $('analytics').hidden = true;
}
