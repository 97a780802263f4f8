// What every page needs about the clinic: its configuration (time zone, call windows) and its
// staff directory, so people show by name rather than by id. Read once per sign-in, refreshed
// when a page asks.
import { api } from './api.js';
import { browserTimeZone } from './local-dates.js';
import { currentLocale, t } from './i18n.js';

const cache = { clinicId: null, clinic: null, staff: [], byId: new Map() };

/** The clinic (GET /v1/clinics/:clinicId), cached for the session. */
export async function loadClinic(clinicId, { force = false } = {}) {
  if (!force && cache.clinicId === clinicId && cache.clinic) return cache.clinic;
  const clinic = (await api('GET', `/v1/clinics/${encodeURIComponent(clinicId)}`)).body;
  if (cache.clinicId !== clinicId) resetStaff();
  cache.clinicId = clinicId;
  cache.clinic = clinic;
  return clinic;
}

/** The staff directory; a clinic without one (or a reader refused) leaves ids as they are. */
export async function loadStaff(clinicId, { force = false, token } = {}) {
  if (!force && !token && cache.clinicId === clinicId && cache.staffLoaded) return cache.staff;
  let staff = [];
  try {
    staff = (await api('GET', `/v1/clinics/${encodeURIComponent(clinicId)}/staff`, undefined, {}, { token })).body?.staff ?? [];
  } catch {
    staff = [];
  }
  if (token) return staff; // read for the sign-in page only
  if (cache.clinicId !== clinicId) cache.clinic = null;
  cache.clinicId = clinicId;
  cache.staff = staff;
  cache.byId = new Map(staff.map((s) => [s.staffId, s]));
  cache.staffLoaded = true;
  return staff;
}

function resetStaff() {
  cache.staff = [];
  cache.byId = new Map();
  cache.staffLoaded = false;
}

export function forgetClinic() {
  cache.clinicId = null;
  cache.clinic = null;
  resetStaff();
}

/** The clinic's zone: every time the console shows or reads is in it (the browser's only until the clinic is known). */
export function clinicZone() {
  return cache.clinic?.timeZone ?? browserTimeZone();
}

export function clinicName() {
  return cache.clinic?.name ?? cache.clinicId ?? '';
}

/** A person's name from the directory, else their id. */
export function staffName(id) {
  if (!id) return '';
  return cache.byId.get(id)?.name ?? id;
}

export function staffMember(id) {
  return cache.byId.get(id);
}

export function staffList() {
  return cache.staff;
}

/** Every staff id in a text (a server summary line) replaced by the person's name. */
export function withNames(text) {
  if (!text || !cache.staff.length) return text;
  let out = String(text);
  for (const s of [...cache.staff].sort((a, b) => b.staffId.length - a.staffId.length)) {
    out = out.split(s.staffId).join(s.name);
  }
  return out;
}

/** An instant as the clinic's wall clock: '12-07 10:30' (or with the year / weekday / seconds when asked). */
export function formatAt(iso, { year = false, weekday = false, seconds = false, dateOnly = false, timeOnly = false } = {}) {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  const options = { timeZone: clinicZone(), hour12: false };
  if (!timeOnly) Object.assign(options, { month: '2-digit', day: '2-digit' }, year ? { year: 'numeric' } : {}, weekday ? { weekday: 'short' } : {});
  if (!dateOnly) Object.assign(options, { hour: '2-digit', minute: '2-digit' }, seconds ? { second: '2-digit' } : {});
  return new Intl.DateTimeFormat(currentLocale(), options).format(date);
}

/** "今天 10:30" / "12-08 10:30": a time today is shown as a time only. */
export function formatWhen(iso) {
  if (!iso) return '';
  const sameDay = formatAt(iso, { dateOnly: true, year: true }) === formatAt(new Date().toISOString(), { dateOnly: true, year: true });
  return sameDay ? `${t('today')} ${formatAt(iso, { timeOnly: true })}` : formatAt(iso);
}
