// The rows of each CSV the manager exports, built from the JSON the reports answer: one column
// list per export, with machine headers (the API's field names) or Chinese ones, and the values'
// labels (outcomes, kinds, weekdays…) in Chinese when asked. Times go through csvTime (the
// clinic's zone).
import { csvTime } from './csv.js';
import { staffMember, staffName } from './context.js';
import { MESSAGES } from './i18n.js';
import { PROCEDURES_ZH } from './timeline-zh.js';

// The Chinese words whatever the page's language: a Chinese CSV is asked for by its option.
const zh = MESSAGES['zh-CN'];

/** Header cells: the API's names, or the Chinese words for them. */
function header(keys, chinese) {
  return keys.map((k) => (chinese ? zh.csv[k] ?? k : k));
}

function label(dictionary, key, chinese) {
  if (!chinese || key === null || key === undefined) return key ?? '';
  return zh[dictionary]?.[key] ?? key;
}

const yesNo = (value, chinese) => (chinese ? (value ? zh.csv.yes : zh.csv.no) : value ? 'true' : 'false');
const weekday = (n, chinese) => (chinese ? zh.weekdaysLong[n - 1] ?? n : n);
const procedure = (code, chinese) => (chinese ? PROCEDURES_ZH[code] ?? code ?? '' : code ?? '');

/** Every call attempt (GET /v1/audit/attempts), as corrected, one row each. */
export function callsCsv(attempts, { chinese }) {
  const keys = ['startedAt', 'caller', 'callerId', 'patientId', 'callId', 'followUpId', 'outcome', 'durationSeconds', 'satisfaction', 'notes', 'symptoms', 'complaint', 'lateEntryReason', 'recordedAt', 'recordedBy', 'corrected'];
  const rows = attempts.map((a) => {
    const current = a.current ?? a;
    return [
      csvTime(current.startedAt ?? a.startedAt, chinese), staffName(a.callerId), a.callerId, a.patientId, a.callId, a.followUpId ?? '',
      label('outcomes', current.outcome ?? a.outcome, chinese), current.durationSeconds ?? '', current.satisfaction ?? '', current.notes ?? '', current.symptoms ?? '',
      yesNo(a.complaint, chinese), a.lateEntryReason ?? '', csvTime(a.recordedAt, chinese), staffName(a.recordedBy?.userId), yesNo((a.corrections ?? []).length > 0, chinese),
    ];
  });
  return { header: header(keys, chinese), rows };
}

/** The per-person metrics (callers and doctors), with names and roles from the directory. */
export function metricsCsv(people, { chinese }) {
  const keys = ['staffId', 'name', 'role', 'attempts', 'reached', 'contactRate', 'appointmentsBooked', 'conversionRate', 'referralsRequested', 'referralsConverted', 'objectionsRaised', 'objectionsResolved'];
  const rows = people.map((c) => {
    const role = staffMember(c.callerId)?.role ?? c.role ?? '';
    return [c.callerId, staffName(c.callerId), chinese ? zh.staffRoles[role] ?? role : role, c.attempts, c.reached, c.contactRate, c.appointmentsBooked, c.conversionRate, c.referralsRequested, c.referralsConverted, c.objectionsRaised, c.objectionsResolved];
  });
  return { header: header(keys, chinese), rows };
}

/** Contact and conversion by weekday and local hour, every hour of every weekday in the range shown. */
export function bestTimesCsv(cells, hours, { chinese }) {
  const keys = ['weekday', 'hour', 'attempts', 'reached', 'contactRate', 'booked', 'conversionRate'];
  const byKey = new Map(cells.map((c) => [`${c.weekday}-${c.hour}`, c]));
  const rows = [];
  for (let day = 1; day <= 7; day++) {
    for (const hour of hours) {
      const c = byKey.get(`${day}-${hour}`) ?? { attempts: 0, reached: 0, contactRate: 0, booked: 0, conversionRate: 0 };
      rows.push([weekday(day, chinese), hour, c.attempts, c.reached, c.contactRate, c.booked, c.conversionRate]);
    }
  }
  return { header: header(keys, chinese), rows };
}

/** One report's JSON as rows (the same report the card shows). */
export function reportCsv(name, report, { chinese, by }) {
  switch (name) {
    case 'objections': {
      const keys = ['section', 'kind', 'topic', 'method', 'raised', 'resolved', 'resolutionRate'];
      const sections = chinese ? { kind_method: zh.kindByMethod, topic_method: zh.topicByMethod, topic: zh.topicsRanked } : { kind_method: 'kind_method', topic_method: 'topic_method', topic: 'topic' };
      const rows = [
        ...(report.byKindMethod ?? []).map((r) => [sections.kind_method, label('kinds', r.kind, chinese), '', label('methods', r.method, chinese), r.raised, r.resolved, r.resolutionRate]),
        ...(report.byTopicMethod ?? []).map((r) => [sections.topic_method, '', label('topics', r.topic, chinese), label('methods', r.method, chinese), r.raised, r.resolved, r.resolutionRate]),
        ...(report.topics ?? []).map((r) => [sections.topic, '', label('topics', r.topic, chinese), '', r.raised, r.resolved, r.resolutionRate]),
      ];
      return { header: header(keys, chinese), rows };
    }
    case 'referrals': {
      const keys = ['referralId', 'referrerId', 'requestedAt', 'referredPatientId', 'appointmentId', 'bookedAt', 'attendedAt'];
      const rows = (report.chains ?? []).map((c) => [c.referralId, c.referrerId, csvTime(c.requestedAt, chinese), c.referredPatientId ?? '', c.appointmentId ?? '', csvTime(c.bookedAt, chinese), csvTime(c.attendedAt, chinese)]);
      return { header: header(keys, chinese), rows };
    }
    case 'appointments': {
      const keys = ['weekday', 'booked', 'attended', 'missed', 'open', 'showRate', 'noShowRate'];
      const row = (day, r) => [day, r.booked, r.attended, r.missed, r.open, r.showRate, r.noShowRate];
      const rows = [...(report.byWeekday ?? []).map((r) => row(weekday(r.weekday, chinese), r)), row(chinese ? zh.csv.total : 'total', report)];
      return { header: header(keys, chinese), rows };
    }
    case 'effectiveness': {
      const group = by === 'rule' ? ['rule', 'step'] : ['kind', 'procedure'];
      const keys = [...group, 'due', 'attempted', 'reached', 'reachRate', 'booked', 'attended', 'complaints'];
      const rows = (report.rows ?? []).map((r) => [
        ...(by === 'rule' ? [label('rules', r.rule, chinese), label('steps', r.step, chinese)] : [label('followUpKinds', r.kind, chinese), procedure(r.procedure, chinese)]),
        r.due, r.attempted, r.reached, r.reachRate, r.booked, r.attended, r.complaints]);
      return { header: header(keys, chinese), rows };
    }
    case 'prospects': {
      const keys = ['channel', 'inquiries', 'notCalled', 'reached', 'booked', 'attended', 'bookingRate', 'firstAttemptMedianMinutes', 'firstAttemptP90Minutes'];
      const rows = (report.rows ?? []).map((r) => [label('channels', r.channel, chinese), r.inquiries, r.notCalled, r.reached, r.booked, r.attended, r.bookingRate, r.firstAttemptMedianMinutes ?? '', r.firstAttemptP90Minutes ?? '']);
      return { header: header(keys, chinese), rows };
    }
    case 'doctors': {
      const keys = ['doctorId', 'name', 'reachedCalls', 'satisfactionMean', 'satisfaction1', 'satisfaction2', 'satisfaction3', 'satisfaction4', 'satisfaction5', 'complaints', 'callbacksDone', 'callbackMedianMinutes'];
      const head = header(keys, chinese).map((cell, i) => (chinese && i >= 4 && i <= 8 ? `满意度${i - 3}分` : cell));
      const rows = (report.rows ?? []).map((r) => [r.doctorId, r.name ?? staffName(r.doctorId), r.reachedCalls, r.satisfactionMean ?? '', ...[1, 2, 3, 4, 5].map((n) => r.satisfaction?.[n] ?? 0), r.complaints, r.callbacksDone, r.callbackMedianMinutes ?? '']);
      return { header: head, rows };
    }
    case 'urgent': {
      const keys = ['rule', 'due', 'inTime', 'late', 'notDone', 'inTimeRate'];
      const rows = (report.rows ?? []).map((r) => [label('rules', r.rule, chinese), r.due, r.inTime, r.late, r.notDone, r.inTimeRate]);
      return { header: header(keys, chinese), rows };
    }
    default:
      return { header: [], rows: [] };
  }
}
