// The day's queue: what is due now (urgent, overdue, by call window), what falls due later today,
// and who waits for a time they accept; filters and a search; who is on which call, live (the
// queue is read again every 10 s while it is on screen). A doctor sees their own tasks.
import { api, session, withPosition } from './api.js';
import { clinicName, formatAt, loadClinic, staffList, staffName } from './context.js';
import { field, h, mount } from './dom.js';
import { currentLocale, t } from './i18n.js';
import { endOfLocalDay } from './local-dates.js';
import { groupRows, kindText, normalise, purposeText } from './queue-rows.js';
import { canRecord, showError, takeFlash } from './shell.js';

export const POLL_MS = 10_000;
const FILTERS_KEY = 'rapport.queueFilters';

export async function queuePage(root, _args, { freshPosition, onLeave, stillHere }) {
  const { clinicId, role, userId, staffRole } = session();
  const clinic = await loadClinic(clinicId);
  const locale = currentLocale();
  const filters = { q: '', caller: '', doctor: '', procedure: '', kind: '', ...readFilters() };
  const state = { now: [], later: [], waiting: [], signature: null, fetchedAt: null, failed: false };

  const base = role === 'doctor'
    ? `/v1/doctors/${encodeURIComponent(userId)}/queue?limit=200`
    : `/v1/clinics/${encodeURIComponent(clinicId)}/queue?limit=200${role === 'caller' ? `&callerId=${encodeURIComponent(userId)}` : ''}`;

  // A senior doctor also works the escalations sent to the clinic's senior doctors as a group.
  const bases = [base, ...(role === 'doctor' && staffRole === 'senior_doctor' ? [`/v1/clinics/${encodeURIComponent(clinicId)}/queue?limit=200&role=senior_doctor`] : [])];
  const read = (path, position) => Promise.all(bases.map((b) => api('GET', withPosition(`${b}${path}`, position)).then((r) => r.body)))
    .then((answers) => ({ items: merged(answers.map((a) => a.items)), waiting: merged(answers.map((a) => a.waiting)) }));

  async function fetchQueue(position) {
    // "Later today": the same queue read as it will stand just before the clinic's midnight.
    const endOfDay = new Date(endOfLocalDay(Date.now(), clinic.timeZone).getTime() - 60_000).toISOString();
    const [now, later] = await Promise.all([
      read('', position),
      read(`&at=${encodeURIComponent(endOfDay)}`, position).catch(() => null),
    ]);
    const nowRows = (now.items ?? []).map((i) => normalise(i, locale));
    const waitingRows = (now.waiting ?? []).map((i) => normalise(i, locale));
    const seen = new Set([...nowRows, ...waitingRows].map((r) => r.followUpId));
    const laterRows = (later?.items ?? []).filter((i) => !seen.has(i.followUpId)).map((i) => normalise(i, locale));
    const signature = JSON.stringify([now.items, now.waiting, later?.items].map((list) => (list ?? []).map(({ overdueMinutes, ...rest }) => rest)));
    return { nowRows, waitingRows, laterRows, signature };
  }

  const flashed = takeFlash();
  const statusLine = h('span', { id: 'queue-refreshed', class: 'muted' });
  const refreshError = h('span', { class: 'error-inline', role: 'status' });
  const listArea = h('div', { id: 'queue-list' });
  const countLine = h('p', { class: 'muted', id: 'queue-count', role: 'status' });
  const searchInput = h('input', { type: 'search', value: filters.q, autocomplete: 'off', inputmode: 'search', placeholder: t('search') });
  const selects = {
    caller: h('select', {}),
    doctor: h('select', {}),
    procedure: h('select', {}),
    kind: h('select', {}),
  };
  const filterForm = h('form', { class: 'filters card', role: 'search', 'aria-label': t('filters'), onsubmit: (e) => e.preventDefault() },
    field('queue-search', t('search'), searchInput),
    h('div', { class: 'filter-selects' },
      field('filter-caller', t('filterCaller'), selects.caller),
      field('filter-doctor', t('filterDoctor'), selects.doctor),
      field('filter-procedure', t('filterProcedure'), selects.procedure),
      field('filter-kind', t('filterKind'), selects.kind)),
    h('button', { type: 'button', class: 'link', id: 'clear-filters', onclick: () => {
      Object.assign(filters, { q: '', caller: '', doctor: '', procedure: '', kind: '' });
      searchInput.value = '';
      saveFilters(filters);
      renderList();
    } }, t('clearFilters')),
  );
  searchInput.addEventListener('input', () => { filters.q = searchInput.value; saveFilters(filters); renderList(); });
  for (const [key, select] of Object.entries(selects)) {
    select.addEventListener('change', () => { filters[key] = select.value; saveFilters(filters); renderList(); });
  }

  function fillSelects(rows) {
    const opts = {
      caller: unique(rows.flatMap((r) => r.callerIds)).map((id) => [id, staffName(id)]),
      doctor: unique(rows.map((r) => r.doctorId)).map((id) => [id, staffName(id)]),
      procedure: unique(rows.map((r) => r.procedureCode)).map((code) => [code, rows.find((r) => r.procedureCode === code).procedure]),
      kind: unique(rows.map((r) => r.kind)).map((kind) => [kind, t('followUpKinds')[kind] ?? kind]),
    };
    // The callers in the directory are offered even before they have called anyone today.
    for (const s of staffList()) if (s.role === 'caller' && !opts.caller.some(([id]) => id === s.staffId)) opts.caller.push([s.staffId, s.name]);
    for (const [key, select] of Object.entries(selects)) {
      const list = opts[key].sort((a, b) => String(a[1]).localeCompare(String(b[1]), 'zh-CN'));
      if (filters[key] && !list.some(([v]) => v === filters[key])) list.push([filters[key], staffName(filters[key])]);
      mount(select, h('option', { value: '' }, t('all')), list.map(([value, label]) => h('option', { value, selected: value === filters[key] }, label)));
      select.closest('.field').hidden = list.length === 0 && key === 'doctor';
    }
  }

  function matches(row) {
    const q = filters.q.trim().toLowerCase();
    if (q) {
      const digits = q.replace(/\D/g, '');
      const byName = (row.name ?? '').toLowerCase().includes(q) || row.patientId.toLowerCase().includes(q);
      const byPhone = digits.length >= 3 && (row.phone ?? '').replace(/\D/g, '').includes(digits);
      if (!byName && !byPhone) return false;
    }
    if (filters.caller && !row.callerIds.includes(filters.caller)) return false;
    if (filters.doctor && row.doctorId !== filters.doctor) return false;
    if (filters.procedure && row.procedureCode !== filters.procedure) return false;
    if (filters.kind && row.kind !== filters.kind) return false;
    return true;
  }

  function renderList() {
    const all = [...state.now, ...state.later, ...state.waiting];
    fillSelects(all);
    const now = state.now.filter(matches);
    const later = state.later.filter(matches);
    const waiting = state.waiting.filter(matches);
    const focusKey = listArea.contains(document.activeElement) ? document.activeElement.dataset.key : undefined;
    const groups = groupRows(now, clinic);
    const shown = now.length + later.length + waiting.length;
    countLine.textContent = t('shownOf')(shown, all.length);
    mount(listArea,
      state.now.length === 0 && !filtersOn(filters) ? h('p', { class: 'empty' }, t('noCalls')) : null,
      filtersOn(filters) && shown === 0 ? h('p', { class: 'empty' }, t('noMatch')) : null,
      groups.map((group) => section(`group ${group.className}`, `${group.title}`, group.rows, { id: `group-${group.key}` })),
      later.length ? section('group later', t('laterToday'), later, { help: t('laterHelp'), id: 'later-today', timeLabel: t('dueCol') }) : null,
      waiting.length ? section('group waiting', t('waitingTitle'), waiting, { help: t('waitingHelp'), id: 'waiting', waiting: true }) : null,
    );
    if (focusKey) listArea.querySelector(`[data-key="${CSS.escape(focusKey)}"]`)?.focus();
  }

  function section(className, title, rows, { help, id, waiting = false } = {}) {
    const headingId = `${id}-title`;
    return h('section', { class: `card ${className}`, id, 'aria-labelledby': headingId },
      h('h2', { id: headingId }, title, h('span', { class: 'count' }, ` (${rows.length})`)),
      help ? h('p', { class: 'muted' }, help) : null,
      h('table', { class: 'queue cards' },
        h('thead', {}, h('tr', {}, [t('dueCol'), t('patient'), t('phone'), t('purpose'), t('history'), t('actionCol')].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, rows.map((row) => rowView(row, waiting)))),
    );
  }

  function rowView(row, waiting) {
    const href = `#/call/${encodeURIComponent(row.patientId)}/${encodeURIComponent(row.followUpId)}`;
    const claim = row.claim && new Date(row.claim.until) > new Date() ? row.claim : null;
    const claimText = claim ? (claim.by === userId ? t('claimedByYou')(formatAt(claim.until, { timeOnly: true })) : t('claimedBy')(staffName(claim.by), formatAt(claim.until, { timeOnly: true }))) : '';
    return h('tr', { 'data-follow-up': row.followUpId, 'data-patient': row.patientId, class: claim && claim.by !== userId ? 'claimed' : undefined },
      h('td', { 'data-label': t('dueCol') },
        h('span', { class: 'due' }, waiting ? (row.offeredAt ? t('offeredAt')(formatAt(row.offeredAt)) : t('offeredNone')) : row.dueLocal),
        row.urgent ? h('span', { class: 'badge urgent' }, t('urgent')) : null,
        row.late ? h('span', { class: 'badge late' }, t('lateBadge')) : null,
        row.deadlineAt && !waiting ? h('div', { class: 'muted' }, t('deadline')(formatAt(row.deadlineAt))) : null,
        row.offeredAt && !waiting ? h('div', { class: 'muted' }, t('offeredMoved')(formatAt(row.offeredAt))) : null),
      h('td', { 'data-label': t('patient') },
        h('strong', { class: 'patient-name' }, row.name),
        row.vip ? h('span', { class: 'badge vip' }, t('vip')) : null,
        h('div', { class: 'muted' }, [kindText(row), row.procedure, row.doctorId ? staffName(row.doctorId) : ''].filter(Boolean).join(' · ')),
        claimText ? h('div', { class: `claim${claim.by === userId ? ' mine' : ''}`, 'data-claimed-by': claim.by }, claimText) : null),
      h('td', { 'data-label': t('phone') }, row.phone ? h('a', { href: `tel:${row.phone.replace(/[^\d+]/g, '')}`, class: 'tel' }, row.phone) : '—'),
      h('td', { 'data-label': t('purpose') }, purposeText(row, locale)),
      h('td', { 'data-label': t('history') }, row.historyText, row.lastText ? h('div', { class: 'muted last-call' }, row.lastText) : null),
      h('td', { class: 'action' },
        canRecord(role)
          ? h('a', { class: 'button primary work', href, 'data-key': `work-${row.followUpId}` }, t('work'))
          : h('a', { class: 'button', href, 'data-key': `view-${row.followUpId}` }, t('view'))),
    );
  }

  async function refresh(position) {
    try {
      const result = await fetchQueue(position);
      if (!stillHere()) return;
      state.fetchedAt = new Date();
      refreshError.textContent = '';
      statusLine.textContent = t('autoRefresh')(formatAt(state.fetchedAt.toISOString(), { timeOnly: true, seconds: true }));
      if (result.signature === state.signature) return;
      Object.assign(state, { now: result.nowRows, later: result.laterRows, waiting: result.waitingRows, signature: result.signature });
      renderList();
    } catch (error) {
      if (!stillHere()) return;
      if (state.signature === null) throw error;
      refreshError.textContent = ` ${t('error')}`;
    }
  }

  await refresh(await freshPosition());
  if (!stillHere()) return;
  mount(root,
    h('div', { class: 'page-head' },
      h('h1', {}, `${t('queue')} · ${clinicName() || clinicId}`),
      h('p', { class: 'refresh-line' }, statusLine, refreshError, ' ',
        h('button', { type: 'button', class: 'link', id: 'queue-refresh', onclick: () => refresh().catch((e) => showError(e)) }, t('refreshNow')))),
    flashed ? h('div', { class: flashed.kind === 'warn' ? 'notice warn' : 'notice', role: 'status', id: 'flash' }, flashed.text) : null,
    filterForm,
    countLine,
    listArea,
  );

  // Live: read again every POLL_MS while the page is on screen; at once when it comes back.
  const timer = setInterval(() => {
    if (document.visibilityState === 'visible') refresh().catch(() => undefined);
  }, POLL_MS);
  const onVisible = () => {
    if (document.visibilityState === 'visible') refresh().catch(() => undefined);
  };
  document.addEventListener('visibilitychange', onVisible);
  onLeave(() => {
    clearInterval(timer);
    document.removeEventListener('visibilitychange', onVisible);
  });
}

/** Several queues as one, each follow-up once, in the order they came (most urgent first in each). */
function merged(lists) {
  const seen = new Set();
  return lists.flat().filter((item) => item && !seen.has(item.followUpId) && seen.add(item.followUpId));
}

function unique(values) {
  return [...new Set(values.filter((v) => v !== undefined && v !== null && v !== ''))];
}

function filtersOn(f) {
  return Boolean(f.q.trim() || f.caller || f.doctor || f.procedure || f.kind);
}

function readFilters() {
  try {
    return JSON.parse(sessionStorage.getItem(FILTERS_KEY) ?? '{}');
  } catch {
    return {};
  }
}

function saveFilters(filters) {
  sessionStorage.setItem(FILTERS_KEY, JSON.stringify(filters));
}
