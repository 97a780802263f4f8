// Signing in: pick yourself from the clinic's staff directory (your role comes with you), or, when
// you are not in it, enter your id and pick a role; or paste a token an administrator gave you.
// Nothing is pre-filled for another person: a doctor never signs in under a nurse's id.
import { api, ApiError, saveSession, session } from './api.js';
import { forgetClinic, loadStaff } from './context.js';
import { errorMessage } from './errors.js';
import { field, h, mount } from './dom.js';
import { t } from './i18n.js';

/** The token role for a directory role (a senior doctor signs in as a doctor). */
const TOKEN_ROLE = { caller: 'caller', doctor: 'doctor', senior_doctor: 'doctor', manager: 'manager', auditor: 'auditor' };
const ROLE_ORDER = ['caller', 'doctor', 'senior_doctor', 'manager', 'auditor'];

export async function signInPage(root) {
  const previous = session();
  const clinicInput = h('input', { value: previous?.clinicId ?? localStorage.getItem('rapport.clinic') ?? 'demo-clinic', autocomplete: 'off', required: true });
  const userInput = h('input', { value: '', autocomplete: 'off', placeholder: t('userPlaceholder'), 'aria-describedby': 'user-error' });
  const userError = h('p', { class: 'field-error', id: 'user-error', hidden: true });
  const tokenInput = h('textarea', { rows: 3 });
  const personSelect = h('select', { 'aria-describedby': 'person-help' });
  const personButton = h('button', { type: 'submit', class: 'primary big', id: 'sign-in-person' }, t('signIn'));
  const picker = h('form', { class: 'picker', id: 'staff-picker', hidden: true, onsubmit: (e) => { e.preventDefault(); signInPerson().catch(fail); } },
    field('person', t('pickPerson'), personSelect),
    h('p', { class: 'muted', id: 'person-help' }, t('pickPersonHelp')),
    personButton,
  );
  const noDirectory = h('p', { class: 'muted', id: 'no-directory', hidden: true }, t('noDirectory'));
  const status = h('div', { role: 'alert', class: 'error', hidden: true, id: 'sign-in-error' });
  let staff = [];

  function fail(error) {
    status.hidden = false;
    status.textContent = `${t('error')}:${error instanceof ApiError ? errorMessage(error) : error.message ?? error}`;
  }

  async function localToken(role, clinicId, userId) {
    try {
      return (await api('POST', '/v1/auth/local-sign-in', { role, clinicId, userId })).body.token;
    } catch (error) {
      // A server without local sign-in answers 404: the pasted token is the way in.
      if (error instanceof ApiError && error.status === 404) return undefined;
      throw error;
    }
  }

  /**
   * The directory, read with a reader's local token minted just for this list. Only where local
   * sign-in is served: elsewhere a token from the identity provider says who you are.
   */
  async function loadDirectory() {
    const clinicId = clinicInput.value.trim();
    if (!clinicId) return;
    let token;
    try {
      token = await localToken('auditor', clinicId, 'console-sign-in');
    } catch {
      token = undefined;
    }
    staff = token ? (await loadStaff(clinicId, { token })).filter((s) => s.active !== false) : [];
    if (clinicId !== clinicInput.value.trim()) return;
    const remembered = localStorage.getItem('rapport.lastPerson');
    const groups = ROLE_ORDER.map((role) => [role, staff.filter((s) => s.role === role).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'))]).filter(([, list]) => list.length);
    mount(personSelect,
      h('option', { value: '' }, t('chooseOne')),
      groups.map(([role, list]) => h('optgroup', { label: t('staffRoles')[role] ?? role },
        list.map((s) => h('option', { value: s.staffId, selected: s.staffId === remembered }, `${s.name}(${s.staffId})`)))));
    picker.hidden = staff.length === 0;
    noDirectory.hidden = staff.length !== 0;
  }

  async function finish(role, clinicId, userId, token, staffRole) {
    forgetClinic();
    saveSession({ token, role, clinicId, userId, staffRole });
    localStorage.setItem('rapport.clinic', clinicId);
    location.hash = role === 'manager' ? '#/manager' : '#/queue';
  }

  async function signInPerson() {
    const person = staff.find((s) => s.staffId === personSelect.value);
    if (!person) {
      personSelect.setAttribute('aria-invalid', 'true');
      throw new Error(t('needUser'));
    }
    const clinicId = clinicInput.value.trim();
    const role = TOKEN_ROLE[person.role] ?? 'caller';
    localStorage.setItem('rapport.lastPerson', person.staffId);
    await finish(role, clinicId, person.staffId, await localToken(role, clinicId, person.staffId), person.role);
  }

  async function signInWithId(role) {
    const userId = userInput.value.trim();
    if (!userId) {
      userError.hidden = false;
      userError.textContent = t('needUser');
      userInput.setAttribute('aria-invalid', 'true');
      userInput.focus();
      return;
    }
    const clinicId = clinicInput.value.trim();
    await finish(role, clinicId, userId, await localToken(role, clinicId, userId));
  }

  async function signInWithToken() {
    const token = tokenInput.value.trim();
    const claims = claimsOf(token);
    if (!claims) throw new Error(t('httpStatus')[401]);
    const clinicId = clinicInput.value.trim() || claims.clinics?.[0];
    await finish(claims.role ?? 'caller', clinicId, claims.sub, token);
  }

  let timer;
  clinicInput.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => loadDirectory().catch(() => undefined), 400);
  });
  userInput.addEventListener('input', () => { userError.hidden = true; userInput.removeAttribute('aria-invalid'); });
  personSelect.addEventListener('change', () => personSelect.removeAttribute('aria-invalid'));

  mount(root,
    h('section', { class: 'card narrow' },
      h('h1', {}, t('signInTitle')),
      status,
      field('clinic', t('clinic'), clinicInput),
      picker,
      noDirectory,
      h('details', { class: 'fallback', open: true },
        h('summary', {}, t('orEnterId')),
        field('user', t('user'), userInput),
        userError,
        h('div', { class: 'row roles' }, ['caller', 'doctor', 'manager', 'auditor'].map((role) =>
          h('button', { type: 'button', 'data-role': role, onclick: () => signInWithId(role).catch(fail) }, t('asRole')[role]))),
        h('p', { class: 'muted' }, t('tokenHelp')),
        field('token', t('token'), tokenInput),
        h('button', { type: 'button', id: 'sign-in-token', onclick: () => signInWithToken().catch(fail) }, t('tokenSignIn')),
      ),
    ),
  );
  await loadDirectory().catch(() => undefined);
  // With a directory, the free entry folds away (still one click to open).
  if (staff.length) root.querySelector('details.fallback').open = false;
}

/** A JWT's claims, read (not checked: the server checks) to know the role and user it carries. */
function claimsOf(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(decodeURIComponent(escape(atob(part))));
  } catch {
    return null;
  }
}
