// The console's router: one page per hash (#/queue, #/lists, #/call/:patientId/:followUpId,
// #/manager, #/sign-in), each rendered into <main>; a page may register what to stop when left
// (the queue's live refresh, a call's claim renewal).
import { saveSession, session } from './api.js';
import { callPage } from './call.js';
import { clinicName, forgetClinic, loadClinic, loadStaff, staffName } from './context.js';
import { h, mount } from './dom.js';
import { currentLocale, setLocale, t } from './i18n.js';
import { listsPage } from './lists.js';
import { managerPage } from './manager.js';
import { queuePage } from './queue.js';
import { freshPosition, showError } from './shell.js';
import { signInPage } from './sign-in.js';

const main = document.getElementById('main');
let leaving = [];
let routed = 0;

async function route() {
  for (const stop of leaving.splice(0)) {
    try {
      stop();
    } catch {
      // a page's clean-up never blocks the next page
    }
  }
  const run = ++routed;
  const current = session();
  const hash = location.hash || '#/queue';
  if (!current && hash !== '#/sign-in') {
    location.hash = '#/sign-in';
    return;
  }
  const [, page, ...args] = hash.split('/');
  const pages = { 'sign-in': signInPage, queue: queuePage, lists: listsPage, call: callPage, manager: managerPage };
  const render = pages[page] ?? queuePage;
  mount(main, h('p', { class: 'muted' }, t('loading')));
  try {
    if (current && page !== 'sign-in') {
      await Promise.all([loadClinic(current.clinicId), loadStaff(current.clinicId)]);
    }
    if (run !== routed) return;
    renderHeader(current, page);
    await render(main, args.map(decodeURIComponent), {
      freshPosition,
      onLeave: (stop) => leaving.push(stop),
      stillHere: () => run === routed,
    });
  } catch (error) {
    if (run !== routed) return;
    renderHeader(current, page);
    showError(error);
  }
}

function renderHeader(current, page) {
  document.documentElement.lang = currentLocale();
  document.title = t('appName');
  const nav = document.getElementById('nav');
  const link = (href, label, name) => h('a', { href, 'aria-current': page === name ? 'page' : undefined }, label);
  const links = current && page !== 'sign-in'
    ? [
        link('#/queue', t('queue'), 'queue'),
        link('#/lists', t('lists'), 'lists'),
        ['manager', 'admin', 'auditor'].includes(current.role) ? link('#/manager', t('manager'), 'manager') : null,
      ]
    : [];
  mount(nav,
    h('strong', { class: 'brand' }, t('appName')),
    ...links,
    h('span', { class: 'spacer' }),
    current && page !== 'sign-in' ? h('span', { class: 'who', id: 'who' }, `${t('asRole')[current.role] ?? current.role} · ${staffName(current.userId)} · ${clinicName() || current.clinicId}`) : null,
    h('button', { type: 'button', class: 'link', lang: currentLocale() === 'en' ? 'zh-CN' : 'en', onclick: () => { setLocale(currentLocale() === 'en' ? 'zh-CN' : 'en'); route(); } }, t('language')),
    current ? h('button', { type: 'button', class: 'link', onclick: () => { saveSession(null); forgetClinic(); location.hash = '#/sign-in'; } }, t('signOut')) : null,
  );
}

window.addEventListener('hashchange', route);
route();
