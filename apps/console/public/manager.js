import { api, download, session, withPosition } from './api.js';
import { heatStyle, percent, svgEl } from './charts.js';
import { h, mount } from './dom.js';
import { currentLocale, t } from './i18n.js';
import { reportsPanel } from './reports.js';

/**
 * The manager's view: per-caller metrics with a chart, the best-time heat map, the weekly summary,
 * the reports over a chosen range (reports.js), the audit export.
 */
export async function managerPage(root, _args, { freshPosition }) {
  const position = await freshPosition();
  const { clinicId } = session();
  const to = new Date();
  const from = new Date(to.getTime() - 30 * 86400_000);
  const range = `from=${from.toISOString()}&to=${to.toISOString()}`;
  const week = isoWeek(new Date(to.getTime() - 7 * 86400_000));
  const [metrics, bestTimes, weekly] = await Promise.all([
    api('GET', withPosition(`/v1/clinics/${clinicId}/callers/metrics?${range}`, position)).then((r) => r.body),
    api('GET', withPosition(`/v1/clinics/${clinicId}/reports/best-times?${range}`, position)).then((r) => r.body),
    api('GET', withPosition(`/v1/clinics/${clinicId}/reports/weekly?week=${week}`, position)).then((r) => r.body),
  ]);
  const callers = Array.isArray(metrics) ? metrics : metrics.callers ?? [];
  mount(root, 
    h('h1', {}, t('manager')),
    h('section', { class: 'card', id: 'metrics' },
      h('h2', {}, `${t('metrics')} (${from.toLocaleDateString(currentLocale())} – ${to.toLocaleDateString(currentLocale())})`),
      metricsChart(callers),
      h('table', {},
        h('thead', {}, h('tr', {}, [t('caller'), t('attemptsCol'), t('reachedCol'), t('contactRate'), t('booked'), t('conversionRate'), t('referralsRequested'), t('referralsConverted'), t('objectionsRaised'), t('objectionsResolved')].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, callers.map((c) => h('tr', {},
          h('td', {}, c.callerId), h('td', {}, c.attempts), h('td', {}, c.reached), h('td', {}, percent(c.contactRate)), h('td', {}, c.appointmentsBooked),
          h('td', {}, percent(c.conversionRate)), h('td', {}, c.referralsRequested), h('td', {}, c.referralsConverted), h('td', {}, c.objectionsRaised), h('td', {}, c.objectionsResolved)))),
      ),
    ),
    h('section', { class: 'card', id: 'best-times' }, h('h2', {}, t('bestTimes')), heatMap(bestTimes)),
    h('section', { class: 'card', id: 'weekly' }, h('h2', {}, `${t('weekly')} · ${t('week')} ${weekly.week ?? week}`), weeklyTable(weekly)),
    reportsPanel({ clinicId, position }),
    h('section', { class: 'card', id: 'audit' },
      h('h2', {}, t('auditExport')),
      h('p', {}, h('button', { type: 'button', onclick: (event) => downloadAudit(clinicId, from, to).catch((error) => event.target.after(h('span', { class: 'error', role: 'alert' }, `${t('error')} — ${error.message}`))) }, `${t('auditExport')} (CSV)`)),
    ),
  );
}

function metricsChart(callers) {
  const width = 640;
  const rowHeight = 28;
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${Math.max(1, callers.length) * rowHeight + 24}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `${t('contactRate')} / ${t('conversionRate')}`);
  svg.classList.add('chart');
  callers.forEach((c, i) => {
    const y = i * rowHeight + 4;
    svg.append(svgEl('text', { x: 0, y: y + 16, class: 'label' }, c.callerId));
    svg.append(svgEl('rect', { x: 150, y, width: Math.max(1, (c.contactRate ?? 0) * 220), height: 10, class: 'bar contact' }));
    svg.append(svgEl('rect', { x: 150, y: y + 12, width: Math.max(1, (c.conversionRate ?? 0) * 220), height: 10, class: 'bar conversion' }));
    svg.append(svgEl('text', { x: 380, y: y + 16, class: 'value' }, `${percent(c.contactRate)} · ${percent(c.conversionRate)}`));
  });
  svg.append(svgEl('text', { x: 150, y: callers.length * rowHeight + 20, class: 'legend' }, `■ ${t('contactRate')}   ■ ${t('conversionRate')}`));
  return svg;
}

/** Hour of day × weekday, shaded by contact rate. */
function heatMap(report) {
  const cells = report?.cells ?? report?.slots ?? [];
  const byKey = new Map(cells.map((c) => [`${c.weekday}-${c.hour}`, c]));
  const hours = [...new Set(cells.map((c) => c.hour))].sort((a, b) => a - b);
  const shownHours = hours.length ? hours : [8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19];
  return h('table', { class: 'heat' },
    h('thead', {}, h('tr', {}, h('th', {}, ''), shownHours.map((hour) => h('th', { scope: 'col' }, `${hour}`)))),
    h('tbody', {}, t('weekdays').map((name, index) => h('tr', {},
      h('th', { scope: 'row' }, name),
      shownHours.map((hour) => {
        const cell = byKey.get(`${index + 1}-${hour}`);
        const rate = cell?.contactRate ?? null;
        return h('td', { style: heatStyle(rate), title: cell ? `${cell.reached ?? ''}/${cell.attempts ?? ''}` : '' }, rate === null ? '·' : percent(rate));
      })))),
  );
}

function weeklyTable(weekly) {
  const fields = t('weeklyFields');
  return h('table', {}, h('tbody', {}, Object.entries(fields).map(([key, label]) => h('tr', {}, h('th', { scope: 'row' }, label), h('td', {}, weekly?.[key] ?? '—')))));
}

function downloadAudit(clinicId, from, to) {
  return download(`/v1/audit/attempts?clinicId=${clinicId}&from=${from.toISOString()}&to=${to.toISOString()}&format=csv`, `rapport-audit-${clinicId}.csv`);
}

function isoWeek(date) {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day);
  const yearStart = new Date(Date.UTC(d.getUTCFullYear(), 0, 1));
  const week = Math.ceil(((d - yearStart) / 86400000 + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}
