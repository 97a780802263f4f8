// The follow-ups staff look at outside the queue: patients whose number a call found wrong (give
// the right one and their calls come back), those closed as unreachable, urgent calls that expired.
import { api, session, withPosition } from './api.js';
import { formatAt, loadClinic } from './context.js';
import { field, h, mount } from './dom.js';
import { errorMessage, fieldProblems } from './errors.js';
import { currentLocale, t } from './i18n.js';
import { kindText, normalise, purposeText } from './queue-rows.js';
import { canRecord, noteWrite } from './shell.js';

const TABS = [
  { status: 'needs_number', title: 'needsNumber', help: 'needsNumberHelp' },
  { status: 'unreachable', title: 'unreachable', help: 'unreachableHelp' },
  { status: 'expired', title: 'expired', help: 'expiredHelp' },
];

export async function listsPage(root, [tab], { freshPosition }) {
  const { clinicId, role } = session();
  await loadClinic(clinicId);
  const current = TABS.find((x) => x.status === tab) ?? TABS[0];
  const locale = currentLocale();
  const body = (await api('GET', withPosition(`/v1/clinics/${encodeURIComponent(clinicId)}/follow-ups?status=${current.status}&limit=200`, await freshPosition()))).body;
  const items = body.items ?? [];
  const rows = items.map((item) => ({ ...normalise(item, locale), status: item.status, closedAt: item.closedAt }));

  const tabs = h('nav', { class: 'tabs', 'aria-label': t('lists') },
    TABS.map((x) => h('a', { href: `#/lists/${x.status}`, class: x === current ? 'tab active' : 'tab', 'aria-current': x === current ? 'page' : undefined, id: `tab-${x.status}` }, t(x.title))));

  let content;
  if (!rows.length) content = h('p', { class: 'empty' }, t('emptyList'));
  else if (current.status === 'needs_number') content = needsNumberList(rows, role);
  else content = closedList(rows, role);

  mount(root,
    h('h1', {}, `${t('lists')} · ${t(current.title)}`),
    tabs,
    h('section', { class: 'card', id: `list-${current.status}` },
      h('h2', {}, t(current.title), h('span', { class: 'count' }, ` (${rows.length})`)),
      h('p', { class: 'muted' }, t(current.help)),
      content),
  );
}

/** One card per patient (a patient may have several calls waiting), each with the number to give. */
function needsNumberList(rows, role) {
  const byPatient = new Map();
  for (const row of rows) {
    if (!byPatient.has(row.patientId)) byPatient.set(row.patientId, []);
    byPatient.get(row.patientId).push(row);
  }
  return h('ul', { class: 'plain-list' }, [...byPatient.entries()].map(([patientId, list]) => {
    const first = list[0];
    return h('li', { class: 'list-card', 'data-patient': patientId },
      h('div', { class: 'list-card-head' },
        h('strong', {}, first.name),
        first.phone ? h('span', { class: 'muted wrong-phone' }, t('oldPhone')(first.phone)) : null),
      h('ul', { class: 'calls' }, list.map((row) => h('li', { 'data-follow-up': row.followUpId },
        `${kindText(row)} · ${purposeText(row, currentLocale())}`, row.dueAt ? h('span', { class: 'muted' }, ` · ${t('dueCol')} ${formatAt(row.dueAt)}`) : null))),
      canRecord(role) ? phoneForm(patientId, first.name) : null,
    );
  }));
}

function phoneForm(patientId, name) {
  const safe = patientId.replace(/[^A-Za-z0-9_-]/g, '_');
  const phone = h('input', { type: 'tel', inputmode: 'tel', autocomplete: 'off', required: true, 'aria-describedby': `phone-error-${safe}` });
  const reason = h('input', { value: t('defaultReason'), required: true });
  const error = h('p', { class: 'field-error', id: `phone-error-${safe}`, hidden: true });
  const status = h('p', { role: 'status', class: 'status' });
  const button = h('button', { type: 'submit', class: 'primary' }, t('savePhone'));
  const form = h('form', { class: 'phone-form', novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    error.hidden = true;
    phone.removeAttribute('aria-invalid');
    if (!phone.value.trim()) {
      error.hidden = false;
      error.textContent = t('needPhone');
      phone.setAttribute('aria-invalid', 'true');
      phone.focus();
      return;
    }
    button.disabled = true;
    try {
      const result = await api('POST', `/v1/patients/${encodeURIComponent(patientId)}/personal-details`, { phone: phone.value.trim(), reason: reason.value.trim() || t('defaultReason') });
      noteWrite(result.position);
      form.replaceChildren(h('p', { class: 'notice', role: 'status' }, t('phoneSaved')(name)));
    } catch (failure) {
      button.disabled = false;
      error.hidden = false;
      error.textContent = fieldProblems(failure)[0]?.text ?? errorMessage(failure);
      phone.setAttribute('aria-invalid', 'true');
    }
  } },
  h('div', { class: 'row' }, field(`phone-${safe}`, t('newPhone'), phone), field(`reason-${safe}`, t('correctionReason'), reason)),
  error,
  button,
  status);
  return form;
}

function closedList(rows, role) {
  return h('table', { class: 'queue cards' },
    h('thead', {}, h('tr', {}, [t('patient'), t('phone'), t('purpose'), t('closedAtCol'), t('actionCol')].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows.map((row) => h('tr', { 'data-follow-up': row.followUpId },
      h('td', { 'data-label': t('patient') }, h('strong', {}, row.name), h('div', { class: 'muted' }, kindText(row))),
      h('td', { 'data-label': t('phone') }, row.phone ? h('a', { href: `tel:${row.phone.replace(/[^\d+]/g, '')}`, class: 'tel' }, row.phone) : '—'),
      h('td', { 'data-label': t('purpose') }, purposeText(row, currentLocale())),
      h('td', { 'data-label': t('closedAtCol') }, formatAt(row.closedAt)),
      h('td', { class: 'action' }, h('a', { class: 'button', href: `#/call/${encodeURIComponent(row.patientId)}` }, canRecord(role) ? t('openPatient') : t('view'))),
    ))),
  );
}
