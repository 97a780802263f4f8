import { api, download, saveText, session, withPosition } from './api.js';
import { heatStyle, percent, svgChart, svgEl } from './charts.js';
import { clinicZone, loadClinic, staffMember, staffName } from './context.js';
import { bestTimesCsv, callsCsv, metricsCsv, reportCsv } from './exports.js';
import { toCsv } from './csv.js';
import { field, h, mount } from './dom.js';
import { errorMessage } from './errors.js';
import { currentLocale, t } from './i18n.js';
import { addDays, lastCompleteWeek, localDate } from './local-dates.js';
import { dataTable, reportsPanel, scroller } from './reports.js';

/**
 * The manager's view, one date range for all of it (the clinic's local dates): the callers' and
 * the doctors' numbers apart, when to call (contact and conversion by weekday and hour, every
 * hour shown), the weekly summary of a chosen week (the last complete one by default), the
 * reports, and CSV exports in the clinic's zone with Chinese headers on request.
 */
export async function managerPage(root, _args, { freshPosition }) {
  const position = await freshPosition();
  const { clinicId } = session();
  await loadClinic(clinicId);
  const chineseBox = h('input', { type: 'checkbox', id: 'csv-chinese', checked: currentLocale() === 'zh-CN' });
  const chinese = () => chineseBox.checked;
  const base = `/v1/clinics/${encodeURIComponent(clinicId)}`;
  const rangeQuery = (range) => `from=${range.from.toISOString()}&to=${range.to.toISOString()}`;

  const metricsCard = h('section', { class: 'card', id: 'metrics', 'aria-labelledby': 'metrics-title', 'data-state': 'loading' },
    h('h2', { id: 'metrics-title' }, t('metrics')), h('p', { class: 'muted' }, t('loading')));
  const bestCard = h('section', { class: 'card', id: 'best-times', 'aria-labelledby': 'best-title', 'data-state': 'loading' },
    h('h2', { id: 'best-title' }, t('bestTimes')), h('p', { class: 'muted' }, t('loading')));
  const state = { people: [], cells: [], hours: [] };

  const extras = [
    {
      load: (range) => Promise.all([
        api('GET', withPosition(`${base}/callers/metrics?${rangeQuery(range)}`, position)).then((r) => r.body),
        api('GET', withPosition(`${base}/reports/doctors?${rangeQuery(range)}`, position)).then((r) => r.body).catch(() => ({ rows: [] })),
      ]),
      show: (result, range) => {
        if (result.status === 'rejected') return failed(metricsCard, 'metrics-title', t('metrics'), result.reason);
        const [metrics, doctors] = result.value;
        const doctorIds = new Set((doctors.rows ?? []).map((r) => r.doctorId));
        const isDoctor = (id) => ['doctor', 'senior_doctor'].includes(staffMember(id)?.role) || (!staffMember(id) && doctorIds.has(id));
        const people = metrics.callers ?? [];
        state.people = people;
        const callers = people.filter((c) => !isDoctor(c.callerId));
        const doctorsRows = people.filter((c) => isDoctor(c.callerId));
        mount(metricsCard,
          h('h2', { id: 'metrics-title' }, `${t('metrics')}(${t('rangeAll')(range.fromDay, range.toDay)})`),
          h('h3', {}, t('callersTable')),
          metricsChart(callers),
          metricsTable(callers, 'callers'),
          doctorsRows.length ? [h('h3', {}, t('doctorsTable')), metricsTable(doctorsRows, 'doctors')] : null);
        metricsCard.dataset.state = 'ready';
      },
    },
    {
      load: (range) => api('GET', withPosition(`${base}/reports/best-times?${rangeQuery(range)}`, position)).then((r) => r.body),
      show: (result, range) => {
        if (result.status === 'rejected') return failed(bestCard, 'best-title', t('bestTimes'), result.reason);
        state.cells = result.value.cells ?? [];
        state.hours = hoursOf(state.cells);
        mount(bestCard,
          h('h2', { id: 'best-title' }, `${t('bestTimes')}(${t('rangeAll')(range.fromDay, range.toDay)})`),
          h('p', { class: 'muted' }, t('heatLegend'), ' ', legendScale()),
          h('div', { class: 'heat-pair' },
            heatMap(state.cells, state.hours, 'contactRate', 'attempts', 'reached', t('heatContact'), 'best-contact'),
            heatMap(state.cells, state.hours, 'conversionRate', 'reached', 'booked', t('heatConversion'), 'best-conversion')));
        bestCard.dataset.state = 'ready';
      },
    },
  ];
  const reports = reportsPanel({ clinicId, position, extras, chinese });

  // The weekly summary: the last complete week in the clinic's zone, or the week picked.
  const weekInput = h('input', { type: 'week', value: lastCompleteWeek(Date.now(), clinicZone()), pattern: '\\d{4}-W\\d{2}', required: true });
  const weeklyBody = h('div', { id: 'weekly-body' }, h('p', { class: 'muted' }, t('loading')));
  const weeklyCard = h('section', { class: 'card', id: 'weekly', 'aria-labelledby': 'weekly-title' },
    h('h2', { id: 'weekly-title' }, t('weekly')),
    h('form', { class: 'range-form', onsubmit: (e) => { e.preventDefault(); loadWeek(); } },
      field('weekly-week', t('weekPick'), weekInput),
      h('div', { class: 'field-action' }, h('button', { type: 'submit', id: 'weekly-apply' }, t('apply')))),
    weeklyBody);
  async function loadWeek() {
    const week = weekInput.value.trim();
    weeklyCard.dataset.state = 'loading';
    try {
      const weekly = (await api('GET', withPosition(`${base}/reports/weekly?week=${encodeURIComponent(week)}`, position))).body;
      mount(weeklyBody, weeklyView(weekly));
      weeklyCard.dataset.state = 'ready';
    } catch (error) {
      mount(weeklyBody, h('div', { class: 'error', role: 'alert' }, `${t('error')}:${errorMessage(error)}`));
      weeklyCard.dataset.state = 'error';
    }
  }
  weekInput.addEventListener('change', () => loadWeek());

  // Exports: the range above, the clinic's zone, Chinese headers and labels when ticked.
  const exportStatus = h('p', { class: 'csv-status', role: 'status', id: 'export-status' });
  const exporter = (id, labelKey, make) => h('button', { type: 'button', id, class: 'export', onclick: async () => {
    exportStatus.textContent = t('loading');
    exportStatus.classList.remove('error');
    try {
      const range = reports.applied();
      if (!range) return;
      const { header, rows, name } = await make(range);
      saveText(`rapport-${name}-${clinicId}-${range.fromDay}_${range.toDay}${chinese() ? '-zh' : ''}.csv`, toCsv(header, rows));
      exportStatus.textContent = t('exported')(t(labelKey), rows.length);
    } catch (error) {
      exportStatus.classList.add('error');
      exportStatus.textContent = `${t('error')}:${errorMessage(error)}`;
    }
  } }, t(labelKey));
  const report = (name) => async (range) => ({ name, ...reportCsv(name, (await api('GET', `${base}/reports/${name}?${rangeQuery(range)}`)).body, { chinese: chinese() }) });
  const exportsCard = h('section', { class: 'card', id: 'exports', 'aria-labelledby': 'exports-title' },
    h('h2', { id: 'exports-title' }, t('exportTitle')),
    h('p', { class: 'muted' }, t('exportHelp')(clinicZone())),
    h('label', { class: 'check', for: 'csv-chinese' }, chineseBox, t('chineseHeaders')),
    h('div', { class: 'row export-buttons' },
      exporter('export-calls', 'exportCalls', async (range) => ({ name: 'calls', ...callsCsv((await api('GET', `/v1/audit/attempts?clinicId=${encodeURIComponent(clinicId)}&${rangeQuery(range)}`)).body.attempts ?? [], { chinese: chinese() }) })),
      exporter('export-objections', 'exportObjections', report('objections')),
      exporter('export-referrals', 'exportReferrals', report('referrals')),
      exporter('export-appointments', 'exportAppointments', report('appointments')),
      exporter('export-metrics', 'exportMetrics', async () => ({ name: 'staff-metrics', ...metricsCsv(state.people, { chinese: chinese() }) })),
      exporter('export-best-times', 'exportBestTimes', async () => ({ name: 'best-times', ...bestTimesCsv(state.cells, state.hours, { chinese: chinese() }) }))),
    h('p', {}, h('button', { type: 'button', class: 'link', id: 'export-raw-audit', onclick: () => {
      const range = reports.applied();
      if (!range) return;
      download(`/v1/audit/attempts?clinicId=${encodeURIComponent(clinicId)}&${rangeQuery(range)}&format=csv`, `rapport-audit-${clinicId}.csv`)
        .catch((error) => { exportStatus.classList.add('error'); exportStatus.textContent = `${t('error')}:${errorMessage(error)}`; });
    } }, t('rawAudit'))),
    exportStatus);

  mount(root,
    h('h1', {}, t('manager')),
    reports.rangeCard,
    metricsCard,
    bestCard,
    weeklyCard,
    exportsCard,
    reports.panel,
  );
  await Promise.all([reports.start(), loadWeek()]);
}

function failed(card, titleId, title, error) {
  mount(card, h('h2', { id: titleId }, title), h('div', { class: 'error', role: 'alert' }, `${t('error')}:${errorMessage(error)}`));
  card.dataset.state = 'error';
}

function metricsTable(people, kind) {
  return dataTable(
    [kind === 'doctors' ? t('doctor') : t('caller'), t('attemptsCol'), t('reachedCol'), t('contactRate'), t('booked'), t('conversionRate'), t('referralsRequested'), t('referralsConverted'), t('objectionsRaised'), t('objectionsResolved')],
    people.map((c) => [
      h('span', { 'data-staff': c.callerId }, staffName(c.callerId), staffName(c.callerId) !== c.callerId ? h('span', { class: 'muted id' }, ` ${c.callerId}`) : null),
      c.attempts, c.reached, percent(c.contactRate), c.appointmentsBooked, percent(c.conversionRate), c.referralsRequested, c.referralsConverted, c.objectionsRaised, c.objectionsResolved]),
    { className: `metrics ${kind}` });
}

/** Two bars per person: contact rate and conversion, told apart by colour and by the legend's swatches. */
function metricsChart(people) {
  const rowHeight = 30;
  const barX = 150;
  const barWidth = 260;
  const height = Math.max(1, people.length) * rowHeight + 8;
  const svg = svgChart(640, height, `${t('contactRate')} / ${t('conversionRate')}: ${people.map((c) => `${staffName(c.callerId)} ${percent(c.contactRate)} / ${percent(c.conversionRate)}`).join(';')}`);
  people.forEach((c, i) => {
    const y = i * rowHeight + 4;
    svg.append(
      svgEl('text', { x: barX - 8, y: y + 15, class: 'label', 'text-anchor': 'end' }, staffName(c.callerId)),
      svgEl('rect', { x: barX, y, width: Math.max(1, (c.contactRate ?? 0) * barWidth), height: 11, class: 'bar contact' }),
      svgEl('rect', { x: barX, y: y + 12, width: Math.max(1, Math.min(1, c.conversionRate ?? 0) * barWidth), height: 11, class: 'bar conversion' }),
      svgEl('text', { x: barX + barWidth + 8, y: y + 15, class: 'value' }, `${percent(c.contactRate)} · ${percent(c.conversionRate)}`),
    );
  });
  return h('figure', { class: 'chart-figure' }, svg,
    h('figcaption', { class: 'legend-html' },
      h('span', { class: 'swatch contact', 'aria-hidden': 'true' }), t('legendContact'), ' ',
      h('span', { class: 'swatch conversion', 'aria-hidden': 'true' }), t('legendConversion')));
}

/** Every hour from the earliest to the latest any call was made (never fewer than 08–20): no hour missing. */
function hoursOf(cells) {
  const hours = cells.filter((c) => c.attempts > 0 || c.reached > 0).map((c) => c.hour);
  const from = Math.min(8, ...hours);
  const to = Math.max(20, ...hours);
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function heatMap(cells, hours, rateKey, wholeKey, partKey, caption, id) {
  const byKey = new Map(cells.map((c) => [`${c.weekday}-${c.hour}`, c]));
  return scroller(h('table', { class: 'heat best', id },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, h('td', {}), hours.map((hour) => h('th', { scope: 'col' }, `${hour}${t('hour')}`)))),
    h('tbody', {}, t('weekdays').map((name, index) => h('tr', {},
      h('th', { scope: 'row' }, name),
      hours.map((hour) => {
        const cell = byKey.get(`${index + 1}-${hour}`);
        if (!cell || !cell[wholeKey]) return h('td', { class: 'none', title: `${name} ${hour}:00` }, '—');
        const rate = cell[rateKey] ?? 0;
        return h('td', { class: 'cell', style: heatStyle(rate), 'data-hour': hour, title: `${name} ${hour}:00 · ${cell[partKey]}/${cell[wholeKey]}` }, percent(rate));
      })))),
  ), caption);
}

function legendScale() {
  return h('span', { class: 'scale', 'aria-hidden': 'true' },
    t('low'), ' ', [0, 0.25, 0.5, 0.75, 1].map((rate) => h('span', { class: 'scale-step', style: heatStyle(rate) })), ' ', t('high'));
}

function weeklyView(weekly) {
  const zone = weekly.timeZone ?? clinicZone();
  const from = weekly.from ? localDate(Date.parse(weekly.from), zone) : '';
  const to = weekly.to ? addDays(localDate(Date.parse(weekly.to), zone), -1) : '';
  const fields = t('weeklyFields');
  const outcomes = t('outcomes');
  return [
    h('p', { class: 'week-dates', id: 'weekly-dates' }, `${weekly.week} · ${t('weeklyDates')(from, to)}`),
    dataTable([t('week'), weekly.week], [...Object.entries(fields).map(([key, label]) => [label, weekly[key] ?? '—']), [t('contactRate'), percent(weekly.contactRate)]], { className: 'weekly' }),
    weekly.outcomes ? dataTable([t('outcomesTitle'), t('countCol')], Object.entries(weekly.outcomes).map(([key, n]) => [outcomes[key] ?? key, n]), { className: 'outcomes' }) : null,
    h('p', { class: 'muted' }, t('rangeZone')(zone)),
  ];
}

