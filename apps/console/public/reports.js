import { api, ApiError, saveText, withPosition } from './api.js';
import { heatStyle, minutes, percent, ratio, svgChart, svgEl } from './charts.js';
import { clinicZone, staffName } from './context.js';
import { reportCsv } from './exports.js';
import { toCsv } from './csv.js';
import { field, h, mount } from './dom.js';
import { errorMessage } from './errors.js';
import { currentLocale, t } from './i18n.js';
import { addDays, isLocalDate, localDate, startOfLocalDay } from './local-dates.js';
import { PROCEDURES_ZH } from './timeline-zh.js';

/**
 * The manager's reports over one range of the clinic's local dates: objections (heat maps),
 * effectiveness (bars), the prospect funnel, doctors, referrals, appointments and urgent calls
 * (tables), each with its CSV (made here from the JSON: times in the clinic's zone, headers and
 * labels in Chinese when asked). `from` is the start of the from-day and `to` the start of the day
 * after the to-day, in the clinic's zone. The server checks the range; its 400 shows beside the
 * dates, in the page's language. `extras` are the manager page's other cards that follow the same
 * range: each `load(range)` runs beside the reports and `show(result)` gets its outcome.
 */
const REPORTS = [
  { id: 'report-objections', name: 'objections', title: 'reportObjections', view: objectionsView },
  { id: 'report-effectiveness', name: 'effectiveness', title: 'reportEffectiveness', view: effectivenessView, grouped: true },
  { id: 'report-prospects', name: 'prospects', title: 'reportProspects', view: prospectsView },
  { id: 'report-doctors', name: 'doctors', title: 'reportDoctors', view: doctorsView },
  { id: 'report-referrals', name: 'referrals', title: 'reportReferrals', view: referralsView },
  { id: 'report-appointments', name: 'appointments', title: 'reportAppointments', view: appointmentsView },
  { id: 'report-urgent', name: 'urgent', title: 'reportUrgent', view: urgentView },
];
const DEFAULT_DAYS = 30;

export function reportsPanel({ clinicId, position, extras = [], chinese = () => currentLocale() === 'zh-CN' }) {
  const state = { timeZone: clinicZone(), applied: null, by: 'procedure', run: 0 };
  const fromInput = h('input', { type: 'date', required: true, 'aria-describedby': 'report-range-error report-range-note' });
  const toInput = h('input', { type: 'date', required: true, 'aria-describedby': 'report-range-error report-range-note' });
  const applyButton = h('button', { type: 'submit', class: 'primary', id: 'report-apply' }, t('apply'));
  const rangeError = h('div', { id: 'report-range-error', class: 'error', role: 'alert', hidden: true });
  const note = h('p', { id: 'report-range-note', class: 'muted' });

  const path = (report, range, extra = '') =>
    `/v1/clinics/${encodeURIComponent(clinicId)}/reports/${report.name}?from=${range.from.toISOString()}&to=${range.to.toISOString()}${report.grouped ? `&by=${state.by}` : ''}${extra}`;
  const fetchReport = (report, range) => api('GET', withPosition(path(report, range), position)).then((r) => r.body);
  const sections = REPORTS.map((report) => reportSection(report, {
    csv: async () => {
      if (!state.applied) return '';
      const range = state.applied;
      const data = await fetchReport(report, range);
      const { header, rows } = reportCsv(report.name, data, { chinese: chinese(), by: state.by });
      saveText(`rapport-${report.name}${report.grouped ? `-${state.by}` : ''}-${clinicId}-${range.fromDay}_${range.toDay}.csv`, toCsvText(header, rows));
      return t('exported')(t(report.title), rows.length);
    },
    controls: report.grouped ? bySwitch(state.by, (by) => { state.by = by; reload(report); }) : null,
  }));

  function showRangeProblems(problems) {
    mount(rangeError, h('ul', {}, problems.map((p) => h('li', {}, p.text))), state.applied ? h('p', {}, t('rangeStale')) : null);
    rangeError.hidden = false;
    fromInput.setAttribute('aria-invalid', String(problems.some((p) => p.field !== 'to')));
    toInput.setAttribute('aria-invalid', String(problems.some((p) => p.field === 'to')));
  }

  function clearRangeProblems() {
    mount(rangeError);
    rangeError.hidden = true;
    fromInput.removeAttribute('aria-invalid');
    toInput.removeAttribute('aria-invalid');
  }

  async function apply() {
    const fromDay = fromInput.value;
    const toDay = toInput.value;
    if (!isLocalDate(fromDay) || !isLocalDate(toDay)) {
      showRangeProblems([{ field: isLocalDate(fromDay) ? 'to' : 'from', text: t('rangeMissing') }]);
      return;
    }
    const range = { fromDay, toDay, from: startOfLocalDay(fromDay, state.timeZone), to: startOfLocalDay(addDays(toDay, 1), state.timeZone) };
    const run = ++state.run;
    applyButton.disabled = true;
    sections.forEach((s) => s.busy(true));
    const settled = await Promise.allSettled([...REPORTS.map((report) => fetchReport(report, range)), ...extras.map((extra) => extra.load(range))]);
    if (run !== state.run) return; // a later Apply took over
    applyButton.disabled = false;
    const results = settled.slice(0, REPORTS.length);
    const problems = rangeProblemsOf(settled.map((r) => (r.status === 'rejected' ? r.reason : undefined)));
    if (problems.length) {
      sections.forEach((s) => s.busy(false));
      showRangeProblems(problems);
      return;
    }
    clearRangeProblems();
    state.applied = range;
    note.textContent = `${t('rangeShown')(fromDay, toDay)} ${t('rangeZone')(state.timeZone)}`;
    results.forEach((result, i) => sections[i].show(result, state.by));
    settled.slice(REPORTS.length).forEach((result, i) => extras[i].show(result, range));
  }

  async function reload(report) {
    if (!state.applied) return;
    const section = sections[REPORTS.indexOf(report)];
    section.busy(true);
    const by = state.by;
    const [result] = await Promise.allSettled([fetchReport(report, state.applied)]);
    if (by === state.by) section.show(result, by);
  }

  async function start() {
    const today = localDate(Date.now(), state.timeZone);
    fromInput.value = addDays(today, 1 - DEFAULT_DAYS);
    toInput.value = today;
    await apply();
  }

  const form = h('form', { class: 'range-form', novalidate: true, onsubmit: (event) => { event.preventDefault(); apply(); } },
    field('report-from', t('from'), fromInput),
    field('report-to', t('to'), toInput),
    h('div', { class: 'field-action' }, applyButton),
  );
  const rangeCard = h('section', { class: 'card', id: 'report-range', 'aria-labelledby': 'report-range-title' },
    h('h2', { id: 'report-range-title' }, t('reportRange')),
    form,
    rangeError,
    note,
  );
  const panel = h('div', { class: 'reports', id: 'reports' }, sections.map((s) => s.element));
  return { rangeCard, panel, start, applied: () => state.applied };
}

function toCsvText(header, rows) {
  return toCsv(header, rows);
}

/** The server's 400 about the range, in the page's words; one line per problem. */
function rangeProblemsOf(errors) {
  const problems = new Map();
  for (const error of errors) {
    if (!(error instanceof ApiError) || error.status !== 400) continue;
    for (const { field: name, message } of error.body?.details ?? []) {
      if (name !== 'from' && name !== 'to') continue;
      const days = /(\d+)\s*days/.exec(message ?? '')?.[1];
      const text = name === 'from' && /before|after/.test(message ?? '') ? t('rangeFromAfterTo') : name === 'to' && days ? t('rangeTooLong')(Number(days)) : t('rangeInvalid')(name);
      problems.set(text, { field: name, text });
    }
  }
  return [...problems.values()];
}

function errorText(error) {
  return `${t('error')}:${errorMessage(error)}`;
}

/** A report's card: title, controls, CSV button, a status line and the body the data fills. */
function reportSection(report, { csv, controls }) {
  const title = t(report.title);
  const status = h('p', { class: 'csv-status', role: 'status' });
  const body = h('div', { class: 'report-body' }, h('p', { class: 'muted' }, t('loading')));
  const csvButton = h('button', { type: 'button', class: 'csv', 'aria-label': `${title} · ${t('exportCsv')}`, onclick: () => {
    status.textContent = '';
    status.classList.remove('error');
    csv().then((done) => { status.textContent = done ?? ''; }).catch((error) => { status.classList.add('error'); status.textContent = errorText(error); });
  } }, t('exportCsv'));
  const element = h('section', { class: 'card report', id: report.id, 'aria-labelledby': `${report.id}-title`, 'data-state': 'loading', 'aria-busy': 'true' },
    h('div', { class: 'report-head' }, h('h2', { id: `${report.id}-title` }, title), h('span', { class: 'spacer' }), controls, csvButton),
    status,
    body,
  );
  return {
    element,
    busy(on) {
      element.setAttribute('aria-busy', String(on));
      if (on) element.dataset.state = 'loading';
      else if (element.dataset.state === 'loading') element.dataset.state = body.dataset.filled ? 'ready' : 'idle';
    },
    show(result, by) {
      element.setAttribute('aria-busy', 'false');
      if (report.grouped) element.dataset.by = by;
      if (result.status === 'fulfilled') {
        mount(body, report.view(result.value, by));
        body.dataset.filled = 'true';
        element.dataset.state = 'ready';
      } else {
        mount(body, h('div', { class: 'error', role: 'alert' }, errorText(result.reason)));
        element.dataset.state = 'error';
      }
    },
  };
}

function bySwitch(value, onChange) {
  const option = (by, label) => h('label', { class: 'check' },
    h('input', { type: 'radio', name: 'effectiveness-by', id: `effectiveness-by-${by}`, value: by, checked: by === value, onchange: () => onChange(by) }), label);
  return h('fieldset', { class: 'switch' }, h('legend', {}, t('groupBy')), option('procedure', t('byProcedure')), option('rule', t('byRule')));
}

// ---------------------------------------------------------------------------------------------
// Names

const nameOf = (dictionary, key) => (key === null || key === undefined ? t('noGroup') : t(dictionary)[key] ?? key);

function procedureName(procedure) {
  if (currentLocale() === 'zh-CN') return PROCEDURES_ZH[procedure] ?? procedure;
  const words = procedure.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function procedureLabel(row) {
  const kind = nameOf('followUpKinds', row.kind);
  if (!row.procedure) return kind;
  return row.kind && row.kind !== 'treatment' ? `${procedureName(row.procedure)} · ${kind}` : procedureName(row.procedure);
}

function ruleLabel(row) {
  if (!row.rule) return t('noGroup');
  return row.step ? `${nameOf('rules', row.rule)} · ${nameOf('steps', row.step)}` : nameOf('rules', row.rule);
}

// ---------------------------------------------------------------------------------------------
// Tables

/**
 * A table whose first cell in each row heads the row (or cell `header`); the columns of numbers
 * and rates line up on the right, their headings too.
 */
export function dataTable(columns, rows, { caption, foot, className, header = 0 } = {}) {
  const numeric = columns.map((_, i) => i !== header && rows.length > 0 && rows.every((row) => isNumberLike(row[i])));
  const cell = (value, i) => (i === header ? h('th', { scope: 'row' }, value) : h('td', { class: numeric[i] ? 'num' : undefined }, value));
  return scroller(h('table', { class: className },
    caption ? h('caption', {}, caption) : null,
    h('thead', {}, h('tr', {}, columns.map((c, i) => h('th', { scope: 'col', class: numeric[i] ? 'num' : undefined }, c)))),
    h('tbody', {}, rows.map((row) => h('tr', {}, row.map(cell)))),
    foot ? h('tfoot', {}, h('tr', {}, foot.map(cell))) : null,
  ), caption ?? columns.join(' / '));
}

/** A wide table scrolls sideways inside its card on a phone; the region takes focus so a keyboard can scroll it. */
export function scroller(table, label) {
  return h('div', { class: 'table-scroll', role: 'region', tabindex: '0', 'aria-label': String(label ?? '') }, table);
}

function isNumberLike(value) {
  return typeof value === 'number' || /^(\d[\d.,]*%?|—)( \(\d[\d.]*%\))?$/.test(String(value));
}

const noData = () => h('p', { class: 'empty' }, t('noData'));

// ---------------------------------------------------------------------------------------------
// Objections: kind × method and topic × method as heat maps, the topics ranked

function objectionsView(report) {
  if (!report.byKindMethod?.length) return noData();
  return [
    heatTable(report.byKindMethod, 'kind', 'kinds', t('kindByMethod')),
    heatTable(report.byTopicMethod ?? [], 'topic', 'topics', t('topicByMethod')),
    h('p', { class: 'muted' }, t('heatHelp')),
    dataTable([t('rank'), t('topic'), t('raised'), t('resolved'), t('resolutionRate')],
      (report.topics ?? []).map((r, i) => [String(i + 1), nameOf('topics', r.topic), r.raised, r.resolved, percent(r.resolutionRate)]),
      { caption: t('topicsRanked'), className: 'topics', header: 1 }),
  ];
}

/** The known names in their order, then any the report has that the console does not know. */
function keysIn(dictionary, present) {
  const known = Object.keys(t(dictionary));
  return [...known.filter((k) => present.has(k)), ...[...present].filter((k) => !known.includes(k)).sort()];
}

function heatTable(rows, rowKey, dictionary, caption) {
  const byCell = new Map(rows.map((r) => [`${r[rowKey]}|${r.method}`, r]));
  const rowKeys = keysIn(dictionary, new Set(rows.map((r) => r[rowKey])));
  const methods = [...new Set([...Object.keys(t('methods')), ...rows.map((r) => r.method)])];
  return scroller(h('table', { class: 'heat objections' },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, h('td', {}), methods.map((m) => h('th', { scope: 'col' }, nameOf('methods', m))))),
    h('tbody', {}, rowKeys.map((key) => h('tr', {},
      h('th', { scope: 'row' }, nameOf(dictionary, key)),
      methods.map((method) => {
        const cell = byCell.get(`${key}|${method}`);
        if (!cell) return h('td', { class: 'none' }, '·');
        return h('td', { class: 'cell', style: heatStyle(cell.resolutionRate), 'data-rate': cell.resolutionRate, title: `${t('resolutionRate')} ${percent(cell.resolutionRate)}` },
          `${cell.resolved}/${cell.raised}`, h('small', {}, percent(cell.resolutionRate)));
      })))),
  ), caption);
}

// ---------------------------------------------------------------------------------------------
// Effectiveness: reach rate and booked ÷ due as bars, then the numbers

function effectivenessView(report, by) {
  const rows = report.rows ?? [];
  if (!rows.length) return noData();
  const label = by === 'rule' ? ruleLabel : procedureLabel;
  return [
    effectivenessChart(rows, label),
    dataTable([by === 'rule' ? t('byRule') : t('byProcedure'), t('due'), t('attempted'), t('reachedCol'), t('reachRate'), t('booked'), t('bookedRate'), t('attended'), t('complaints')],
      rows.map((r) => [label(r), r.due, r.attempted, r.reached, percent(r.reachRate), r.booked, percent(ratio(r.booked, r.due)), r.attended, r.complaints])),
  ];
}

function effectivenessChart(rows, label) {
  const rowHeight = 30;
  const barX = 200;
  const barWidth = 320;
  const height = rows.length * rowHeight + 34;
  const svg = svgChart(680, height, `${t('reportEffectiveness')}: ${t('reachRate')}, ${t('bookedRate')}`, 'chart bars');
  rows.forEach((r, i) => {
    const y = i * rowHeight + 4;
    const booked = ratio(r.booked, r.due);
    const group = svgEl('g', { class: 'row' });
    group.append(
      svgEl('title', {}, `${label(r)}: ${t('reachRate')} ${percent(r.reachRate)}, ${t('bookedRate')} ${percent(booked)}`),
      svgEl('text', { x: barX - 8, y: y + 15, class: 'label', 'text-anchor': 'end' }, shorten(label(r), 188)),
      svgEl('rect', { x: barX, y, width: barWidth, height: 22, class: 'track' }),
      svgEl('rect', { x: barX, y, width: Math.max(1, r.reachRate * barWidth), height: 10, class: 'bar reach' }),
      svgEl('rect', { x: barX, y: y + 12, width: Math.max(1, booked * barWidth), height: 10, class: 'bar booked' }),
      svgEl('text', { x: barX + barWidth + 8, y: y + 15, class: 'value' }, `${percent(r.reachRate)} · ${percent(booked)}`),
    );
    svg.append(group);
  });
  const legendY = rows.length * rowHeight + 16;
  svg.append(
    svgEl('rect', { x: barX, y: legendY - 9, width: 10, height: 10, class: 'bar reach' }),
    svgEl('text', { x: barX + 14, y: legendY, class: 'legend' }, t('reachRate')),
    svgEl('rect', { x: barX + 170, y: legendY - 9, width: 10, height: 10, class: 'bar booked' }),
    svgEl('text', { x: barX + 184, y: legendY, class: 'legend' }, t('bookedRate')),
  );
  return svg;
}

/** The text cut to about `width` px of 12 px type (a CJK character about 12 px, others about 6.5 px); the bar's title has it whole. */
function shorten(text, width) {
  let used = 0;
  for (let i = 0; i < text.length; i++) {
    used += text.charCodeAt(i) >= 0x2e80 ? 12 : 6.5;
    if (used > width) return `${text.slice(0, Math.max(1, i - 1))}…`;
  }
  return text;
}

// ---------------------------------------------------------------------------------------------
// Prospects: a funnel per channel, minutes to the first call, the booking rate against the seed's 35%

function prospectsView(report) {
  const rows = report.rows ?? [];
  if (!rows.length) return noData();
  const seed = report.seedBookingRate ?? 0.35;
  return [
    h('div', { class: 'funnels' }, rows.map((r) => h('figure', { class: 'funnel', 'data-channel': r.channel },
      funnelChart(r, seed),
      h('figcaption', {},
        h('strong', {}, nameOf('channels', r.channel)), ` · ${t('inquiries')} ${r.inquiries}`,
        h('br', {}), t('minutesShort')(minutes(r.firstAttemptMedianMinutes), minutes(r.firstAttemptP90Minutes)),
        h('br', {}), `${t('bookingRate')} ${percent(r.bookingRate)} · ${t('seedTarget')(percent(seed))}`),
    ))),
    dataTable([t('channel'), t('inquiries'), t('notCalled'), t('reachedCol'), t('booked'), t('attended'), t('bookingRate'), t('firstCallMedian'), t('firstCallP90')],
      rows.map((r) => [nameOf('channels', r.channel), r.inquiries, r.notCalled, r.reached, r.booked, r.attended, percent(r.bookingRate), minutes(r.firstAttemptMedianMinutes), minutes(r.firstAttemptP90Minutes)])),
  ];
}

function funnelChart(row, seed) {
  const steps = [[t('inquiries'), row.inquiries], [t('reachedCol'), row.reached], [t('booked'), row.booked], [t('attended'), row.attended]];
  const labelWidth = 104;
  const width = 220;
  const rowHeight = 28;
  const channel = nameOf('channels', row.channel);
  const gaugeY = steps.length * rowHeight + 18;
  const svg = svgChart(labelWidth + width + 8, gaugeY + 28,
    `${t('funnel')(channel)}: ${steps.map(([label, value]) => `${label} ${value}`).join(' → ')}; ${t('bookingRate')} ${percent(row.bookingRate)}, ${t('seedTarget')(percent(seed))}`,
    'chart funnel-chart');
  steps.forEach(([label, value], i) => {
    const y = i * rowHeight + 4;
    const w = Math.max(2, ratio(value, row.inquiries) * width);
    svg.append(
      svgEl('text', { x: 0, y: y + 15, class: 'label' }, `${label} ${value}`),
      svgEl('rect', { x: labelWidth + (width - w) / 2, y, width: w, height: 20, class: `bar step step-${i}` }),
    );
  });
  const seedX = labelWidth + seed * width;
  svg.append(
    svgEl('text', { x: 0, y: gaugeY + 10, class: 'label' }, `${t('booked')} ${percent(row.bookingRate)}`),
    svgEl('rect', { x: labelWidth, y: gaugeY, width, height: 12, class: 'track' }),
    svgEl('rect', { x: labelWidth, y: gaugeY, width: Math.max(1, Math.min(1, row.bookingRate) * width), height: 12, class: `rate ${row.bookingRate >= seed ? 'met' : 'below'}` }),
    svgEl('line', { x1: seedX, x2: seedX, y1: gaugeY - 6, y2: gaugeY + 18, class: 'target' }),
    svgEl('text', { x: seedX + 4, y: gaugeY + 26, class: 'legend' }, t('seedTarget')(percent(seed))),
  );
  return svg;
}

// ---------------------------------------------------------------------------------------------
// Doctors, referrals, appointments, urgent: compact tables

function doctorsView(report) {
  const rows = report.rows ?? [];
  if (!rows.length) return noData();
  return dataTable([t('doctor'), t('reachedCalls'), t('satisfactionMean'), t('satisfactionSpread'), t('complaints'), t('callbacksDone'), t('callbackMedian')],
    rows.map((r) => [r.name ?? staffName(r.doctorId), r.reachedCalls, r.satisfactionMean === null || r.satisfactionMean === undefined ? '—' : r.satisfactionMean.toFixed(2),
      [5, 4, 3, 2, 1].map((n) => `${t('score')(n)} ${r.satisfaction?.[n] ?? 0}`).join(' · '), r.complaints, r.callbacksDone, minutes(r.callbackMedianMinutes)]));
}

function referralsView(report) {
  if (!report.requested) return noData();
  const share = (n) => `${n} (${percent(ratio(n, report.requested))})`;
  return [
    dataTable([t('referral'), t('requested'), t('booked'), t('attended')], [[t('total'), report.requested, share(report.booked), share(report.attended)]], { className: 'summary' }),
    report.topReferrers?.length
      ? dataTable([t('referrer'), t('requested'), t('booked'), t('attended')], report.topReferrers.map((r) => [r.patientId, r.requested, r.booked, r.attended]), { caption: t('topReferrers') })
      : null,
    h('p', { class: 'muted' }, t('chainsCount')(report.chains?.length ?? 0)),
  ];
}

function appointmentsView(report) {
  const names = t('weekdaysLong');
  const row = (label, r) => [label, r.booked, r.attended, r.missed, r.open, percent(r.showRate), percent(r.noShowRate)];
  return dataTable([t('weekday'), t('booked'), t('attended'), t('missed'), t('open'), t('showRate'), t('noShowRate')],
    (report.byWeekday ?? []).map((r) => row(names[r.weekday - 1] ?? String(r.weekday), r)),
    { foot: row(t('total'), report) });
}

function urgentView(report) {
  const rows = report.rows ?? [];
  if (!rows.length) return noData();
  const sum = (key) => rows.reduce((total, r) => total + (r[key] ?? 0), 0);
  return dataTable([t('rule'), t('due'), t('inTime'), t('late'), t('notDone'), t('inTimeRate')],
    rows.map((r) => [nameOf('rules', r.rule), r.due, r.inTime, r.late, r.notDone, percent(r.inTimeRate)]),
    { foot: [t('total'), sum('due'), sum('inTime'), sum('late'), sum('notDone'), percent(ratio(sum('inTime'), sum('due')))] });
}
