import { api, ApiError, saveSession, session, withPosition } from './api.js';
import { field, h, mount, select } from './dom.js';
import { currentLocale, setLocale, t } from './i18n.js';
import { talkingPointsFor } from './talking-points.js';
import { managerPage } from './manager.js';
import { purposeText, queueRows } from './queue-rows.js';
import { zhLine } from './timeline-zh.js';

const main = document.getElementById('main');
/** The log position of our last command: the next query reads its own write. */
let lastPosition = null;

/**
 * The position a page should read at: our own last write, or else everything recorded when the
 * page opened, so a freshly started server never shows a half-projected queue.
 */
async function freshPosition() {
  if (lastPosition) return lastPosition;
  const health = await fetch('/health').then((r) => r.json()).catch(() => undefined);
  return health?.eventStore?.headPosition || null;
}

function route() {
  const current = session();
  const hash = location.hash || '#/queue';
  renderHeader(current);
  if (!current && hash !== '#/sign-in') {
    location.hash = '#/sign-in';
    return;
  }
  const [, page, ...args] = hash.split('/');
  const pages = { 'sign-in': signInPage, queue: queuePage, call: callPage, manager: managerPage };
  const render = pages[page] ?? queuePage;
  mount(main, h('p', { class: 'muted' }, t('loading')));
  Promise.resolve(render(main, args.map(decodeURIComponent), { freshPosition })).catch((error) => showError(error));
}

function renderHeader(current) {
  document.documentElement.lang = currentLocale();
  document.title = t('appName');
  const nav = document.getElementById('nav');
  const links = current
    ? [h('a', { href: '#/queue' }, t('queue')), ['manager', 'admin', 'auditor'].includes(current.role) ? h('a', { href: '#/manager' }, t('manager')) : null]
    : [];
  mount(nav, 
    h('strong', { class: 'brand' }, t('appName')),
    ...links,
    h('span', { class: 'spacer' }),
    current ? h('span', { class: 'who' }, `${t('asRole')[current.role] ?? current.role} · ${current.userId} · ${current.clinicId}`) : null,
    h('button', { type: 'button', class: 'link', onclick: () => { setLocale(currentLocale() === 'en' ? 'zh-CN' : 'en'); route(); } }, t('language')),
    current ? h('button', { type: 'button', class: 'link', onclick: () => { saveSession(null); location.hash = '#/sign-in'; } }, t('signOut')) : null,
  );
}

export function showError(error) {
  const message = error instanceof ApiError ? `${error.status}: ${error.body?.message ?? ''}` : String(error?.message ?? error);
  const details = error instanceof ApiError && error.body?.details ? error.body.details.map((d) => `${d.field}: ${d.message}`) : [];
  main.prepend(h('div', { class: 'error', role: 'alert' }, `${t('error')} — ${message}`, details.length ? h('ul', {}, details.map((d) => h('li', {}, d))) : null));
}

async function signInPage(root) {
  const clinicInput = h('input', { value: 'demo-clinic', autocomplete: 'off' });
  const userInput = h('input', { value: 'nurse-zhang', autocomplete: 'off' });
  const tokenInput = h('textarea', { rows: 3 });
  const signIn = async (role) => {
    const clinicId = clinicInput.value.trim();
    const userId = userInput.value.trim();
    let token = tokenInput.value.trim() || undefined;
    if (!token && role) {
      // The embedded default mints local tokens; a server without it answers 404 and we go on without one.
      try {
        token = (await api('POST', '/v1/auth/local-sign-in', { role, clinicId, userId })).body.token;
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 404)) throw error;
      }
    }
    saveSession({ token, role: role ?? 'caller', clinicId, userId });
    location.hash = role === 'manager' ? '#/manager' : '#/queue';
  };
  mount(root, 
    h('section', { class: 'card narrow' },
      h('h1', {}, t('signInTitle')),
      h('p', { class: 'muted' }, t('tokenHelp')),
      field('clinic', t('clinic'), clinicInput),
      field('user', t('user'), userInput),
      field('token', t('token'), tokenInput),
      h('button', { type: 'button', class: 'primary', onclick: () => signIn(undefined).catch(showError) }, t('signIn')),
      h('h2', {}, t('localSignIn')),
      h('div', { class: 'row' }, ['caller', 'doctor', 'manager', 'auditor'].map((role) =>
        h('button', { type: 'button', 'data-role': role, onclick: () => signIn(role).catch(showError) }, t('asRole')[role]))),
    ),
  );
}

async function queuePage(root) {
  const { clinicId, role, userId } = session();
  const clinic = (await api('GET', `/v1/clinics/${clinicId}`)).body;
  const path = role === 'doctor' ? `/v1/doctors/${userId}/queue` : `/v1/clinics/${clinicId}/queue?limit=200`;
  const queue = (await api('GET', withPosition(path, await freshPosition()))).body;
  const groups = queueRows(queue, clinic, currentLocale());
  mount(root, 
    h('h1', {}, `${t('queue')} · ${clinic.name ?? clinicId}`),
    groups.length === 0 ? h('p', { class: 'empty' }, t('noCalls')) : null,
    ...groups.map((group) =>
      h('section', { class: `card group ${group.className}` },
        h('h2', {}, group.title, h('span', { class: 'count' }, ` (${group.rows.length})`)),
        h('table', { class: 'queue' },
          h('thead', {}, h('tr', {}, [t('due'), t('patient'), t('phone'), t('purpose'), t('history'), ''].map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', {}, group.rows.map((row) =>
            h('tr', { 'data-follow-up': row.followUpId },
              h('td', {}, row.dueLocal, row.urgent ? h('span', { class: 'badge urgent' }, t('urgent')) : null),
              h('td', {}, row.name, row.vip ? h('span', { class: 'badge vip' }, t('vip')) : null, h('div', { class: 'muted' }, row.procedure ?? '')),
              h('td', {}, row.phone ?? ''),
              h('td', {}, purposeText(row, currentLocale())),
              h('td', {}, row.historyText),
              h('td', {}, h('a', { class: 'button primary', href: `#/call/${encodeURIComponent(row.patientId)}/${encodeURIComponent(row.followUpId)}` }, t('work'))),
            ))),
        ),
      )),
  );
}

async function callPage(root, [patientId, followUpId]) {
  const { clinicId, userId } = session();
  const position = await freshPosition();
  const [clinic, timeline, queue, stored] = await Promise.all([
    api('GET', `/v1/clinics/${clinicId}`).then((r) => r.body),
    api('GET', withPosition(`/v1/patients/${encodeURIComponent(patientId)}/timeline`, position)).then((r) => r.body),
    api('GET', withPosition(`/v1/clinics/${clinicId}/queue?limit=500`, position)).then((r) => r.body).catch(() => []),
    // The Chinese lines are made from the stored events; the English ones come with the timeline.
    currentLocale() === 'zh-CN' ? api('GET', `/v1/patients/${encodeURIComponent(patientId)}/events`).then((r) => r.body.events).catch(() => []) : [],
  ]);
  const byId = new Map(stored.map((e) => [e.eventId, e]));
  const line = (entry) => (byId.has(entry.eventId) ? zhLine(byId.get(entry.eventId), clinic.timeZone) : undefined) ?? entry.summary ?? entry.type;
  const row = queueRows(queue, clinic, currentLocale()).flatMap((g) => g.rows).find((r) => r.followUpId === followUpId) ?? { followUpId, patientId, kind: 'treatment' };
  const entries = Array.isArray(timeline) ? timeline : timeline.entries ?? [];
  const form = callForm(patientId, followUpId, userId, clinicId);
  mount(root, 
    h('p', {}, h('a', { href: '#/queue' }, `← ${t('back')}`)),
    h('h1', {}, `${t('callScreen')} · ${row.name ?? patientId}`, row.phone ? h('span', { class: 'muted' }, ` ${row.phone}`) : null),
    h('div', { class: 'split' },
      h('section', { class: 'card' },
        h('h2', {}, t('timeline')),
        h('ol', { class: 'timeline' }, entries.map((entry) => h('li', {}, h('time', {}, formatLocal(entry.at ?? entry.occurredAt, clinic.timeZone)), ' ', line(entry)))),
      ),
      h('div', {},
        h('section', { class: 'card' },
          h('h2', {}, t('talkingPoints')),
          row.purpose ? h('p', { class: 'purpose' }, purposeText(row, currentLocale())) : null,
          h('ul', {}, talkingPointsFor(row, currentLocale()).map((p) => h('li', {}, p))),
          row.historyText ? h('p', { class: 'muted' }, row.historyText) : null,
        ),
        form,
      ),
    ),
  );
}

function callForm(patientId, followUpId, callerId, clinicId) {
  const outcomes = t('outcomes');
  const status = h('p', { role: 'status', class: 'status' });
  const objectionOn = h('input', { type: 'checkbox' });
  const referralOn = h('input', { type: 'checkbox' });
  const appointmentOn = h('input', { type: 'checkbox' });
  const preferencesOn = h('input', { type: 'checkbox' });
  const value = (id) => document.getElementById(id)?.value?.trim();
  const checked = (id) => Boolean(document.getElementById(id)?.checked);
  // The preferences as they stand, loaded into the form (below) with their ETag.
  const loaded = { preferences: {}, etag: undefined };
  const submit = async (event) => {
    event.preventDefault();
    status.textContent = t('loading');
    if (preferencesOn.checked) {
      // The form shows the preferences as loaded: send them back as a change (PATCH), with the
      // ETag read, so nothing the form does not show (other special dates) is lost, and a change
      // someone made meanwhile is not overwritten (412). First, before this call moves the record on.
      const others = (loaded.preferences.specialDates ?? []).filter((d) => d.kind !== 'birthday' && d.kind !== 'wedding_anniversary');
      const specialDates = [...others, ...[['birthday', value('birthday')], ['wedding_anniversary', value('anniversary')]].filter(([, date]) => date).map(([kind, date]) => ({ kind, date }))];
      const times = value('preferredTimes') ? value('preferredTimes').split(/[,,\s]+/).filter(Boolean) : [];
      lastPosition = (await api('PATCH', `/v1/patients/${encodeURIComponent(patientId)}/preferences`, {
        preferredTimes: times.length ? times : null,
        avoidWorkHours: checked('avoidWorkHours'), doNotCall: checked('doNotCall'), vip: checked('vip'),
        specialDates: specialDates.length ? specialDates : null,
      }, loaded.etag ? { 'if-match': loaded.etag } : {})).position;
    }
    const outcome = value('outcome');
    const call = (await api('POST', '/v1/calls', compact({
      patientId, callerId, followUpId, outcome,
      startedAt: new Date().toISOString(),
      durationSeconds: numberOrUndefined(value('durationSeconds')),
      satisfaction: numberOrUndefined(value('satisfaction')),
      notes: value('notes') || undefined,
      symptoms: value('symptoms') || undefined,
      complaint: checked('complaint') || undefined,
      callBackAt: outcome === 'call_back_later' && value('callBackAt') ? new Date(value('callBackAt')).toISOString() : undefined,
    })));
    lastPosition = call.position;
    const callId = call.body.callId;
    if (objectionOn.checked) {
      lastPosition = (await api('POST', '/v1/objections', compact({ patientId, callerId, callId, kind: value('kind'), topic: value('topic'), method: value('method'), resolved: checked('resolved'), answerable: checked('answerable') }))).position;
    }
    if (referralOn.checked) {
      lastPosition = (await api('POST', '/v1/referrals', compact({ patientId, callerId, referred: compact({ name: value('referredName') || undefined, relation: value('relation') || undefined }) }))).position;
    }
    if (appointmentOn.checked && value('scheduledFor')) {
      lastPosition = (await api('POST', '/v1/appointments', { patientId, clinicId, callerId, followUpId, scheduledFor: new Date(value('scheduledFor')).toISOString() })).position;
    }
    status.textContent = t('saved');
    location.hash = '#/queue';
  };
  const form = h('form', { class: 'card', onsubmit: (e) => submit(e).catch((error) => { status.textContent = ''; showError(error); }) },
    h('h2', {}, t('outcome')),
    field('outcome', t('outcome'), select('outcome', outcomes, 'reached')),
    h('div', { class: 'row' },
      field('durationSeconds', t('durationSeconds'), h('input', { type: 'number', min: 0, inputmode: 'numeric' })),
      field('satisfaction', t('satisfaction'), h('input', { type: 'number', min: 1, max: 5 })),
    ),
    field('notes', t('notes'), h('textarea', { rows: 3 })),
    field('symptoms', t('symptoms'), h('input', {})),
    h('label', { class: 'check' }, h('input', { type: 'checkbox', id: 'complaint' }), t('complaint')),
    field('callBackAt', t('callBackAt'), h('input', { type: 'datetime-local' })),
    optional(objectionOn, t('addObjection'),
      field('kind', t('kind'), select('kind', t('kinds'), 'sincere')),
      field('topic', t('topic'), select('topic', t('topics'), 'cost')),
      field('method', t('method'), select('method', t('methods'), 'inform')),
      h('label', { class: 'check' }, h('input', { type: 'checkbox', id: 'resolved' }), t('resolved')),
      h('label', { class: 'check' }, h('input', { type: 'checkbox', id: 'answerable', checked: true }), t('answerable')),
    ),
    optional(referralOn, t('addReferral'),
      field('referredName', t('referredName'), h('input', {})),
      field('relation', t('relation'), h('input', {})),
    ),
    optional(appointmentOn, t('bookAppointment'),
      field('scheduledFor', t('scheduledFor'), h('input', { type: 'datetime-local' })),
    ),
    optional(preferencesOn, t('preferences'),
      field('preferredTimes', t('preferredTimes'), h('input', { placeholder: '12:00-13:00' })),
      h('label', { class: 'check' }, h('input', { type: 'checkbox', id: 'avoidWorkHours' }), t('avoidWorkHours')),
      h('label', { class: 'check' }, h('input', { type: 'checkbox', id: 'doNotCall' }), t('doNotCall')),
      h('label', { class: 'check' }, h('input', { type: 'checkbox', id: 'vip' }), t('vip')),
      field('birthday', t('birthday'), h('input', { placeholder: '05-17' })),
      field('anniversary', t('anniversary'), h('input', { placeholder: '10-01' })),
    ),
    h('button', { type: 'submit', class: 'primary', id: 'save-call' }, t('save')),
    status,
  );
  void api('GET', `/v1/patients/${encodeURIComponent(patientId)}/preferences`).then(({ body, etag }) => {
    loaded.preferences = body?.preferences ?? {};
    loaded.etag = etag ?? undefined;
    const p = loaded.preferences;
    const set = (id, v) => { const el = form.querySelector(`#${id}`); if (el) el.value = v ?? ''; };
    const tick = (id, v) => { const el = form.querySelector(`#${id}`); if (el) el.checked = Boolean(v); };
    set('preferredTimes', (p.preferredTimes ?? []).join(', '));
    tick('avoidWorkHours', p.avoidWorkHours);
    tick('doNotCall', p.doNotCall);
    tick('vip', p.vip);
    set('birthday', p.specialDates?.find((d) => d.kind === 'birthday')?.date);
    set('anniversary', p.specialDates?.find((d) => d.kind === 'wedding_anniversary')?.date);
  }).catch(() => undefined); // a patient without a record yet has nothing to load
  return form;
}

/** A part of the form that is filled only when its box is ticked: the fields show with the tick. */
function optional(toggle, label, ...fields) {
  const body = h('div', { class: 'optional-fields', hidden: true }, ...fields);
  toggle.addEventListener('change', () => { body.hidden = !toggle.checked; });
  return h('fieldset', { class: 'optional' }, h('legend', {}, h('label', { class: 'check' }, toggle, label)), body);
}

export function formatLocal(iso, timeZone) {
  if (!iso) return '';
  return new Intl.DateTimeFormat(currentLocale(), { timeZone, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso));
}

function compact(object) {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined && v !== ''));
}

function numberOrUndefined(value) {
  return value === undefined || value === '' ? undefined : Number(value);
}

window.addEventListener('hashchange', route);
route();
