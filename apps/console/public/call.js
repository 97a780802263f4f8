// A call: who the patient is and why we call (the header), what to say (talking points), the
// form that records it, and the relationship so far (timeline). Opening it claims the follow-up
// so colleagues see who is on it; saving sends ONE request (POST /v1/calls) with everything the
// call produced, under one Idempotency-Key per opened form: a double click records one attempt,
// a failed save records nothing and keeps what was typed.
import { api, ApiError, newKey, session, withPosition } from './api.js';
import { callFacts } from './call-facts.js';
import { clinicName, clinicZone, formatAt, loadClinic, staffList, staffName, withNames } from './context.js';
import { field, h, mount, select } from './dom.js';
import { claimHolder, errorMessage, fieldProblems } from './errors.js';
import { currentLocale, t } from './i18n.js';
import { zonedDateTimeToInstant } from './local-dates.js';
import { kindText, procedureText, purposeText, reportedOf } from './queue-rows.js';
import { canRecord, flash, noteWrite } from './shell.js';
import { talkingPointsFor } from './talking-points.js';
import { zhLine } from './timeline-zh.js';

const CLAIM_MINUTES = 10;
const RENEW_MS = 5 * 60_000;
/** Outcomes where the caller spoke with the patient. */
const CONVERSATION = new Set(['reached', 'declined', 'call_back_later']);

export async function callPage(root, [patientId, followUpId], { freshPosition, onLeave, stillHere }) {
  const { clinicId, userId, role } = session();
  const clinic = await loadClinic(clinicId);
  const locale = currentLocale();
  const position = await freshPosition();
  const path = `/v1/patients/${encodeURIComponent(patientId)}`;
  const [timeline, stored] = await Promise.all([
    api('GET', withPosition(`${path}/timeline`, position)).then((r) => r.body),
    api('GET', `${path}/events`).then((r) => r.body.events ?? []),
  ]);
  if (!stillHere()) return;
  const facts = callFacts(stored, followUpId);
  const followUp = facts.followUp;
  const patientName = facts.patient.erased ? t('patientErased') : facts.patient.name ?? patientId;
  const row = followUp
    ? { ...followUp, patientId, name: patientName }
    : { kind: 'treatment', stepId: undefined, patientId, name: patientName };
  const doctorId = facts.treatment?.doctorId ?? followUp?.assignee?.doctorId;
  const procedure = procedureText(facts.treatment?.procedure, locale);
  const purpose = followUp ? purposeText(followUp, locale) : t('noFollowUp');

  // The claim: opening a follow-up's call tells colleagues who is on it.
  const claimBanner = h('div', { id: 'claim-banner', role: 'status', hidden: true });
  const recording = canRecord(role);
  let renew;
  async function claim(first) {
    try {
      const result = await api('POST', `/v1/follow-ups/${encodeURIComponent(followUpId)}/claim`, { minutes: CLAIM_MINUTES });
      if (first) showBanner('notice mine', t('claimMine')(formatAt(result.body.until, { timeOnly: true })));
    } catch (error) {
      clearInterval(renew);
      if (error instanceof ApiError && error.body?.rule === 'follow_up_claimed') {
        const holder = claimHolder(error) ?? followUp?.claim;
        showBanner('notice warn', holder ? t('claimHeld')(staffName(holder.by), formatAt(holder.until, { timeOnly: true })) : errorMessage(error), 'alert');
        claimBanner.dataset.claimedBy = holder?.by ?? '';
      } else if (error instanceof ApiError && error.body?.rule === 'follow_up_closed') {
        showBanner('notice warn', t('claimClosed'), 'alert');
      } else if (first) {
        showBanner('notice warn', errorMessage(error), 'alert');
      }
    }
  }
  function showBanner(className, message, live = 'status') {
    claimBanner.className = className;
    claimBanner.setAttribute('role', live);
    claimBanner.textContent = message;
    claimBanner.hidden = false;
  }
  if (recording && followUpId) {
    if (followUp?.closed) showBanner('notice warn', t('claimClosed'), 'alert');
    else {
      await claim(true);
      renew = setInterval(() => claim(false), RENEW_MS);
      onLeave(() => clearInterval(renew));
    }
  }

  const byId = new Map(stored.map((e) => [e.eventId, e]));
  const entries = timeline?.entries ?? [];
  const line = (entry) => (locale === 'zh-CN' && byId.has(entry.eventId) ? zhLine(byId.get(entry.eventId), clinic.timeZone) : undefined) ?? withNames(entry.summary ?? entry.type);
  const names = {
    patient: patientName,
    caller: staffName(userId),
    clinic: clinicName(),
    doctor: doctorId ? staffName(doctorId) : '',
    procedure,
    purpose,
    reported: facts.reported ?? reportedOf(followUp?.purpose),
    concern: facts.concern,
  };
  const phone = facts.patient.phone;
  const header = h('section', { class: 'card call-header', id: 'call-header', 'aria-labelledby': 'call-title' },
    h('h1', { id: 'call-title' }, `${t('callScreen')} · `, h('span', { class: 'patient-name' }, patientName)),
    h('dl', { class: 'facts' },
      fact(t('phone'), phone ? h('a', { href: `tel:${phone.replace(/[^\d+]/g, '')}`, class: 'tel', id: 'patient-phone' }, phone) : '—', 'fact-phone'),
      fact(t('attendingDoctor'), doctorId ? staffName(doctorId) : '—', 'fact-doctor'),
      fact(t('procedure'), procedure ? `${procedure}${facts.treatment?.completedAt ? paren(t('completedOn')(formatAt(facts.treatment.completedAt, { dateOnly: true }))) : ''}` : '—', 'fact-procedure'),
      fact(t('callKind'), followUp ? kindText(followUp) : t('noFollowUp'), 'fact-kind'),
      fact(t('callPurpose'), purpose, 'fact-purpose'),
      followUp ? fact(t('dueAtLabel'), `${formatAt(followUp.dueAt)}${followUp.deadlineAt ? paren(t('deadline')(formatAt(followUp.deadlineAt))) : ''}`, 'fact-due') : null,
      followUp ? fact(t('attemptsSoFar'), attemptsText(followUp.attempts), 'fact-attempts') : null,
    ),
    facts.patient.phoneWrong ? h('p', { class: 'notice warn' }, t('phoneWrongWarning'), ' ', h('a', { href: '#/lists/needs_number' }, t('needsNumber'))) : null,
    claimBanner,
  );

  const points = h('section', { class: 'card', id: 'talking-points', 'aria-labelledby': 'points-title' },
    h('h2', { id: 'points-title' }, t('talkingPoints')),
    h('p', { class: 'purpose' }, purpose),
    h('ul', {}, talkingPointsFor(row, locale, names).map((p) => h('li', {}, p))),
  );
  const history = h('section', { class: 'card', id: 'timeline-card', 'aria-labelledby': 'timeline-title' },
    h('h2', { id: 'timeline-title' }, t('timeline')),
    h('ol', { class: 'timeline', tabindex: '0', 'aria-labelledby': 'timeline-title' }, entries.map((entry) => h('li', {}, h('time', { datetime: entry.at }, formatAt(entry.at ?? entry.recordedAt)), ' ', line(entry)))),
  );

  const form = recording
    ? callForm({ patientId, followUpId, userId, facts, doctorId, patientName })
    : h('section', { class: 'card', id: 'read-only-card' }, h('p', { class: 'muted', id: 'read-only' }, t('readOnly')));
  mount(root,
    h('p', { class: 'back' }, h('a', { href: '#/queue' }, `← ${t('back')}`)),
    header,
    h('div', { class: 'call-grid' }, points, form, history),
  );
  // The latest of the relationship in sight; the caller's hands on the outcome.
  const list = root.querySelector('ol.timeline');
  if (list) list.scrollTop = list.scrollHeight;
  root.querySelector('#outcome')?.focus();
}

/** A remark in brackets, as each language writes them. */
function paren(text) {
  return currentLocale() === 'zh-CN' ? `(${text})` : ` (${text})`;
}

function fact(label, value, id) {
  return h('div', { class: 'fact', id }, h('dt', {}, label), h('dd', {}, value));
}

function attemptsText(attempts) {
  const outcomes = t('outcomes');
  if (!attempts.length) return t('attempts')(0);
  const zh = currentLocale() === 'zh-CN';
  return `${t('attempts')(attempts.length)}${zh ? ':' : ': '}${attempts.map((a) => `${staffName(a.callerId)} ${formatAt(a.startedAt)} ${outcomes[a.outcome] ?? a.outcome}`).join(zh ? ';' : '; ')}`;
}

// ---------------------------------------------------------------------------------------------
// The form

function callForm({ patientId, followUpId, userId, facts, doctorId, patientName }) {
  const zone = clinicZone();
  // When the call started, as the caller says it: when they opened it. Fixed for the form, so a
  // retry of the same content is the same request (and the same Idempotency-Key).
  const startedAt = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
  let attempt = { key: newKey(), json: null };
  let inFlight = false;
  let saved = false;

  const summary = h('div', { class: 'error form-errors', id: 'form-errors', role: 'alert', tabindex: '-1', hidden: true });
  const status = h('p', { role: 'status', class: 'status', id: 'save-status' });
  const saveButton = h('button', { type: 'submit', class: 'primary big', id: 'save-call' }, t('save'));
  const outcome = select('outcome', t('outcomes'), 'reached');
  const input = (attrs = {}) => h('input', attrs);
  const checkbox = (id, label, attrs = {}) => h('label', { class: 'check', for: id }, h('input', { type: 'checkbox', id, name: id, ...attrs }), label);
  const doctors = staffList().filter((s) => (s.role === 'doctor' || s.role === 'senior_doctor') && s.active !== false);

  // Repeatable parts: objections and referrals, one row each to start with.
  let serial = 0;
  const objectionRows = [];
  const referralRows = [];
  const objectionList = h('div', { class: 'repeat', id: 'objections' });
  const referralList = h('div', { class: 'repeat', id: 'referrals' });
  const addObjection = () => {
    const id = `objection-${serial++}`;
    const element = h('fieldset', { class: 'repeat-row', 'data-prefix': id },
      h('legend', {}, t('objectionN')(objectionRows.length + 1)),
      h('div', { class: 'row' },
        field(`${id}-kind`, t('kind'), select(`${id}-kind`, t('kinds'), 'sincere')),
        field(`${id}-topic`, t('topic'), select(`${id}-topic`, t('topics'), 'cost')),
        field(`${id}-method`, t('method'), select(`${id}-method`, t('methods'), 'inform'))),
      h('div', { class: 'row checks' }, checkbox(`${id}-resolved`, t('resolved')), checkbox(`${id}-answerable`, t('answerable'), { checked: true })),
      field(`${id}-note`, t('note'), input()),
      objectionRows.length ? h('button', { type: 'button', class: 'link', onclick: () => removeRow(objectionRows, id) }, t('remove')) : null);
    objectionRows.push({ id, element });
    objectionList.append(element);
  };
  const addReferral = () => {
    const id = `referral-${serial++}`;
    const element = h('fieldset', { class: 'repeat-row', 'data-prefix': id },
      h('legend', {}, t('referralN')(referralRows.length + 1)),
      h('div', { class: 'row' },
        field(`${id}-name`, t('referredName'), input({ autocomplete: 'off' })),
        field(`${id}-phone`, t('referredPhone'), input({ type: 'tel', inputmode: 'tel', autocomplete: 'off' })),
        field(`${id}-relation`, t('relation'), input({ autocomplete: 'off' }))),
      field(`${id}-note`, t('note'), input()),
      referralRows.length ? h('button', { type: 'button', class: 'link', onclick: () => removeRow(referralRows, id) }, t('remove')) : null);
    referralRows.push({ id, element });
    referralList.append(element);
  };
  const removeRow = (rows, id) => {
    const index = rows.findIndex((r) => r.id === id);
    if (index >= 0) rows.splice(index, 1)[0].element.remove();
  };
  addObjection();
  addReferral();

  const toggles = {
    objection: h('input', { type: 'checkbox', id: 'objection-on' }),
    referral: h('input', { type: 'checkbox', id: 'referral-on' }),
    appointment: h('input', { type: 'checkbox', id: 'appointment-on' }),
    next: h('input', { type: 'checkbox', id: 'next-on' }),
    preferences: h('input', { type: 'checkbox', id: 'preferences-on' }),
  };
  const zoneNote = h('p', { class: 'muted zone-note' }, t('zoneNote')(zone));
  const appointmentDoctor = h('select', {},
    h('option', { value: '' }, '—'),
    doctors.map((d) => h('option', { value: d.staffId, selected: d.staffId === doctorId }, d.name)),
    doctorId && !doctors.some((d) => d.staffId === doctorId) ? h('option', { value: doctorId, selected: true }, staffName(doctorId)) : null);

  const form = h('form', { class: 'card call-form', id: 'call-form', novalidate: true, 'aria-labelledby': 'form-title' },
    h('h2', { id: 'form-title' }, t('outcome')),
    summary,
    field('outcome', t('outcome'), outcome),
    h('div', { class: 'row', 'data-show': 'conversation' },
      field('durationSeconds', t('durationSeconds'), input({ type: 'number', min: 0, inputmode: 'numeric' })),
      h('div', { 'data-show': 'reached', class: 'field-wrap' }, field('satisfaction', t('satisfaction'), input({ type: 'number', min: 1, max: 5, inputmode: 'numeric' })))),
    field('notes', t('notes'), h('textarea', { rows: 3 })),
    h('div', { 'data-show': 'call_back_later' }, field('callBackAt', t('callBackAt'), input({ type: 'datetime-local' })), zoneNote.cloneNode(true)),
    h('div', { 'data-show': 'reached' },
      field('symptoms', t('symptoms'), input()),
      checkbox('complaint', t('complaint'))),
    h('div', { 'data-show': 'conversation' }, checkbox('dissatisfied', t('dissatisfied'))),
    optional('conversation', toggles.objection, t('addObjection'), objectionList, h('button', { type: 'button', class: 'link add-row', onclick: addObjection }, `+ ${t('addAnother')}`)),
    optional('reached', toggles.referral, t('addReferral'), referralList, h('button', { type: 'button', class: 'link add-row', onclick: addReferral }, `+ ${t('addAnother')}`)),
    optional('reached', toggles.appointment, t('bookAppointment'),
      h('div', { class: 'row' },
        field('scheduledFor', t('scheduledFor'), input({ type: 'datetime-local' })),
        field('appointmentDoctor', t('appointmentDoctor'), appointmentDoctor)),
      field('appointmentNote', t('note'), input()),
      zoneNote.cloneNode(true)),
    optional('reached', toggles.next, t('nextContact'),
      h('div', { class: 'row' },
        field('nextContactAt', t('nextContactAt'), input({ type: 'datetime-local' })),
        field('nextContactPurpose', t('nextContactPurpose'), input())),
      zoneNote.cloneNode(true)),
    optional('any', toggles.preferences, t('preferences'),
      field('preferredTimes', t('preferredTimes'), input({ placeholder: '12:00-13:00' })),
      h('div', { class: 'row checks' },
        checkbox('avoidWorkHours', t('avoidWorkHours')),
        checkbox('doNotCall', t('doNotCall')),
        checkbox('vip', t('vip'))),
      h('div', { class: 'row' },
        field('birthday', t('birthday'), input({ placeholder: '05-17' })),
        field('anniversary', t('anniversary'), input({ placeholder: '10-01' })))),
    h('div', { class: 'save-bar' }, saveButton, h('span', { class: 'muted hint' }, t('saveHint')), status),
  );

  const $ = (id) => form.querySelector(`#${CSS.escape(id)}`);
  const value = (id) => $(id)?.value?.trim() ?? '';
  const checked = (id) => Boolean($(id)?.checked);

  function applyOutcome() {
    const o = outcome.value;
    const on = { any: true, conversation: CONVERSATION.has(o), reached: o === 'reached', call_back_later: o === 'call_back_later' };
    for (const part of form.querySelectorAll('[data-show]')) part.hidden = !on[part.dataset.show];
  }
  outcome.addEventListener('change', applyOutcome);
  applyOutcome();
  const shown = (element) => !element.closest('[hidden]');

  // The preferences as they stand, loaded into the form; only what the caller changes is sent.
  const loaded = { preferences: {} };
  void api('GET', `/v1/patients/${encodeURIComponent(patientId)}/preferences`).then(({ body }) => {
    loaded.preferences = body?.preferences ?? {};
    const p = loaded.preferences;
    $('preferredTimes').value = (p.preferredTimes ?? []).join(', ');
    $('avoidWorkHours').checked = Boolean(p.avoidWorkHours);
    $('doNotCall').checked = Boolean(p.doNotCall);
    $('vip').checked = Boolean(p.vip);
    $('birthday').value = p.specialDates?.find((d) => d.kind === 'birthday')?.date ?? '';
    $('anniversary').value = p.specialDates?.find((d) => d.kind === 'wedding_anniversary')?.date ?? '';
    form.dataset.preferences = 'loaded';
  }).catch(() => { form.dataset.preferences = 'none'; });

  /** The request the form stands for, or the problems that keep it from being sent. */
  function build() {
    const problems = [];
    const o = outcome.value;
    const body = { patientId, callerId: userId, startedAt, outcome: o };
    if (followUpId) body.followUpId = followUpId;
    const durationInput = $('durationSeconds');
    if (shown(durationInput) && value('durationSeconds') !== '') body.durationSeconds = Number(value('durationSeconds'));
    if (value('notes')) body.notes = value('notes');
    if (o === 'reached') {
      if (value('satisfaction') !== '') body.satisfaction = Number(value('satisfaction'));
      if (value('symptoms')) body.symptoms = value('symptoms');
      if (checked('complaint')) body.complaint = true;
    }
    if (CONVERSATION.has(o) && checked('dissatisfied')) body.dissatisfied = true;
    if (o === 'call_back_later') {
      const at = zonedDateTimeToInstant(value('callBackAt'), zone);
      if (!at) problems.push({ id: 'callBackAt', text: t('needCallBack') });
      else body.callBackAt = at.toISOString();
    }
    if (shown(toggles.objection) && toggles.objection.checked) {
      body.objections = objectionRows.map(({ id }) => compact({
        kind: value(`${id}-kind`), topic: value(`${id}-topic`), method: value(`${id}-method`),
        resolved: checked(`${id}-resolved`), answerable: checked(`${id}-answerable`), note: value(`${id}-note`) || undefined,
      }));
    }
    if (shown(toggles.referral) && toggles.referral.checked) {
      body.referrals = [];
      for (const { id } of referralRows) {
        const referred = compact({ name: value(`${id}-name`) || undefined, phone: value(`${id}-phone`) || undefined, relation: value(`${id}-relation`) || undefined });
        const note = value(`${id}-note`) || undefined;
        // Never an empty referral (the server refuses one too): someone named, a relation ("her sister"), or a note.
        if (!referred.name && !referred.phone && !referred.relation && !note) problems.push({ id: `${id}-name`, text: t('needReferral') });
        else body.referrals.push(compact({ referred: referred.name || referred.phone || referred.relation ? referred : undefined, note }));
      }
    }
    if (shown(toggles.appointment) && toggles.appointment.checked) {
      // A ticked appointment without a time is the caller's to fix, never dropped in silence.
      const at = zonedDateTimeToInstant(value('scheduledFor'), zone);
      if (!at) problems.push({ id: 'scheduledFor', text: t('needDate') });
      else body.appointment = compact({ scheduledFor: at.toISOString(), doctorId: value('appointmentDoctor') || undefined, note: value('appointmentNote') || undefined });
    }
    if (shown(toggles.next) && toggles.next.checked) {
      const at = zonedDateTimeToInstant(value('nextContactAt'), zone);
      if (!at) problems.push({ id: 'nextContactAt', text: t('needNextAt') });
      if (!value('nextContactPurpose')) problems.push({ id: 'nextContactPurpose', text: t('needNextPurpose') });
      if (at && value('nextContactPurpose')) body.nextContact = { at: at.toISOString(), purpose: value('nextContactPurpose') };
    }
    if (shown(toggles.preferences) && toggles.preferences.checked) {
      const changes = preferenceChanges(loaded.preferences, {
        preferredTimes: value('preferredTimes') ? value('preferredTimes').split(/[,,、\s]+/).filter(Boolean) : [],
        avoidWorkHours: checked('avoidWorkHours'), doNotCall: checked('doNotCall'), vip: checked('vip'),
        birthday: value('birthday'), anniversary: value('anniversary'),
      });
      if (Object.keys(changes).length) body.preferences = changes;
    }
    return { body, problems };
  }

  function clearProblems() {
    summary.hidden = true;
    mount(summary);
    for (const el of form.querySelectorAll('.field-error.from-form')) el.remove();
    for (const el of form.querySelectorAll('[aria-invalid]')) {
      el.removeAttribute('aria-invalid');
      const described = (el.getAttribute('aria-describedby') ?? '').split(' ').filter((x) => x && !x.endsWith('-error'));
      if (described.length) el.setAttribute('aria-describedby', described.join(' '));
      else el.removeAttribute('aria-describedby');
    }
  }

  /** Each problem beside its field (the summary above lists them all); focus to the first. */
  function showProblems(problems, lead) {
    const items = [];
    let first;
    for (const problem of problems) {
      const control = problem.id ? $(problem.id) : null;
      const label = control ? form.querySelector(`label[for="${CSS.escape(control.id)}"]`)?.textContent ?? '' : '';
      if (control && shown(control)) {
        const errorId = `${control.id}-error`;
        let note = $(errorId);
        if (!note) {
          note = h('p', { class: 'field-error from-form', id: errorId });
          const holder = control.closest('.field');
          if (holder) holder.append(note);
          else (control.closest('label') ?? control).after(note);
        }
        note.textContent = problem.text;
        control.setAttribute('aria-invalid', 'true');
        control.setAttribute('aria-describedby', [control.getAttribute('aria-describedby'), errorId].filter(Boolean).join(' '));
        first ??= control;
      }
      items.push(label ? `${label.trim()}:${problem.text}` : problem.text);
    }
    mount(summary, h('p', {}, lead ?? t('formErrors')), items.length ? h('ul', {}, [...new Set(items)].map((text) => h('li', {}, text))) : null);
    summary.hidden = false;
    (first ?? summary).focus();
  }

  async function submit() {
    if (inFlight || saved) return; // one save at a time: a double click records one attempt
    clearProblems();
    const { body, problems } = build();
    if (problems.length) {
      showProblems(problems);
      return;
    }
    const json = JSON.stringify(body);
    // A retry of exactly the same content reuses the key (the server answers the first response
    // again, recording nothing twice); changed content is a new request with a new key.
    if (attempt.json !== null && attempt.json !== json) attempt = { key: newKey(), json };
    attempt.json = json;
    inFlight = true;
    saveButton.disabled = true;
    form.setAttribute('aria-busy', 'true');
    status.textContent = t('saving');
    try {
      const result = await api('POST', '/v1/calls', body, {}, { idempotencyKey: attempt.key });
      saved = true;
      noteWrite(result.position);
      if (result.body?.followUp?.alreadyClosed) {
        const who = await closedBy(patientId, followUpId, userId);
        status.textContent = '';
        showAlreadyClosed(who);
        flash(t('savedClosedFlash')(patientName), 'warn');
        return;
      }
      status.textContent = t('saved');
      flash(t('savedFlash')(patientName));
      location.hash = '#/queue';
    } catch (error) {
      status.textContent = '';
      // No answer: the request may have landed, so the form says so and keeps the key for a retry.
      const problems = fieldProblems(error).map((p) => ({ id: controlFor(p.field, objectionRows, referralRows), text: p.text }));
      if (error instanceof ApiError && error.status === 0) showProblems([], t('network'));
      else showProblems(problems.length ? problems : [{ text: errorMessage(error) }], t('formErrors'));
    } finally {
      inFlight = false;
      form.removeAttribute('aria-busy');
      if (!saved) saveButton.disabled = false;
    }
  }

  function showAlreadyClosed(who) {
    for (const control of form.querySelectorAll('input, select, textarea, button')) control.disabled = true;
    form.querySelector('.save-bar').hidden = true;
    const banner = document.getElementById('claim-banner');
    if (banner) banner.hidden = true; // the claim is over: the follow-up is closed
    const notice = h('div', { class: 'notice warn', role: 'alert', id: 'already-closed', tabindex: '-1' },
      h('p', {}, t('alreadyClosed')(who)),
      h('a', { class: 'button primary', href: '#/queue' }, t('closeAndBack')));
    form.prepend(notice);
    notice.focus();
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit();
  });
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      submit();
    }
  });
  return form;
}

/** Who closed the follow-up this call found closed: the caller of the call that closed it. */
async function closedBy(patientId, followUpId, me) {
  try {
    const events = (await api('GET', `/v1/patients/${encodeURIComponent(patientId)}/events`)).body.events ?? [];
    const facts = callFacts(events, followUpId);
    const who = facts.followUp?.closedBy;
    return who && who !== me ? staffName(who) : t('aColleague');
  } catch {
    return t('aColleague');
  }
}

/** The form's control for a field the server named (`appointment.scheduledFor`, `referrals[1].referred`). */
function controlFor(path, objectionRows, referralRows) {
  if (!path) return undefined;
  const repeated = /^(objections|referrals)\[(\d+)\](?:\.(\w+))?(?:\.(\w+))?/.exec(path);
  if (repeated) {
    const [, list, index, key, sub] = repeated;
    const row = (list === 'objections' ? objectionRows : referralRows)[Number(index)];
    if (!row) return undefined;
    if (list === 'objections') return `${row.id}-${['kind', 'topic', 'method', 'resolved', 'answerable', 'note'].includes(key) ? key : 'topic'}`;
    return key === 'note' ? `${row.id}-note` : `${row.id}-${sub === 'phone' ? 'phone' : sub === 'relation' ? 'relation' : 'name'}`;
  }
  const [head, tail] = path.split('.');
  if (head === 'appointment') return tail === 'doctorId' ? 'appointmentDoctor' : tail === 'note' ? 'appointmentNote' : 'scheduledFor';
  if (head === 'nextContact') return tail === 'purpose' ? 'nextContactPurpose' : 'nextContactAt';
  if (head === 'preferences') return tail === 'specialDates' ? 'birthday' : tail === 'avoidWorkHours' || tail === 'doNotCall' || tail === 'vip' ? tail : 'preferredTimes';
  if (['outcome', 'durationSeconds', 'satisfaction', 'notes', 'symptoms', 'complaint', 'dissatisfied', 'callBackAt'].includes(head)) return head;
  return 'outcome';
}

/** The fields of the preferences the form changed (a PATCH of them), the special dates it does not show kept. */
function preferenceChanges(before, form) {
  const changes = {};
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  const times = before.preferredTimes ?? [];
  if (!same(times, form.preferredTimes)) changes.preferredTimes = form.preferredTimes;
  for (const key of ['avoidWorkHours', 'doNotCall', 'vip']) if (Boolean(before[key]) !== form[key]) changes[key] = form[key];
  const dates = before.specialDates ?? [];
  const others = dates.filter((d) => d.kind !== 'birthday' && d.kind !== 'wedding_anniversary');
  const shownDates = [['birthday', form.birthday], ['wedding_anniversary', form.anniversary]].filter(([, date]) => date).map(([kind, date]) => ({ kind, date }));
  const wasShown = dates.filter((d) => d.kind === 'birthday' || d.kind === 'wedding_anniversary');
  const key = (list) => JSON.stringify([...list].map((d) => `${d.kind}:${d.date}`).sort());
  if (key(wasShown) !== key(shownDates)) changes.specialDates = [...others, ...shownDates];
  return changes;
}

/** A part of the form filled only when its box is ticked: the fields show with the tick. */
function optional(show, toggle, label, ...fields) {
  const body = h('div', { class: 'optional-fields', hidden: true }, ...fields);
  toggle.addEventListener('change', () => { body.hidden = !toggle.checked; });
  return h('fieldset', { class: 'optional', 'data-show': show }, h('legend', {}, h('label', { class: 'check', for: toggle.id }, toggle, label)), body);
}

function compact(object) {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined && v !== ''));
}
