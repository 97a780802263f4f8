// What the pages share: read-your-writes, the error banner, a message carried to the next page.
import { h } from './dom.js';
import { errorMessage, fieldProblems } from './errors.js';
import { t } from './i18n.js';

/** The log position of our last command: the next query reads its own write. */
let lastPosition = null;

export function noteWrite(position) {
  if (position && (!lastPosition || Number(position) > Number(lastPosition))) lastPosition = position;
}

/**
 * The position a page should read at: our own last write, or else everything recorded when the
 * page opened, so a freshly started server never shows a half-projected queue.
 */
export async function freshPosition() {
  if (lastPosition) return lastPosition;
  const health = await fetch('/health').then((r) => r.json()).catch(() => undefined);
  return health?.eventStore?.headPosition || null;
}

/** An error banner at the top of the page, in the page's language. */
export function showError(error, where) {
  const main = where ?? document.getElementById('main');
  const problems = fieldProblems(error);
  const banner = h('div', { class: 'error', role: 'alert' },
    `${t('error')}:${errorMessage(error)}`,
    problems.length ? h('ul', {}, [...new Set(problems.map((p) => p.text))].map((text) => h('li', {}, text))) : null);
  main.querySelectorAll(':scope > .error.page-error').forEach((e) => e.remove());
  banner.classList.add('page-error');
  main.prepend(banner);
  return banner;
}

/** A line for the next page to show (after a save, the queue says what was saved). */
export function flash(text, kind = 'ok') {
  sessionStorage.setItem('rapport.flash', JSON.stringify({ text, kind }));
}

export function takeFlash() {
  const raw = sessionStorage.getItem('rapport.flash');
  sessionStorage.removeItem('rapport.flash');
  try {
    return raw ? JSON.parse(raw) : null;
  } catch {
    return null;
  }
}

/** Who may record calls (an auditor reads only). */
export function canRecord(role) {
  return ['caller', 'doctor', 'manager', 'admin'].includes(role);
}
