import { formatAt, formatWhen, staffName } from './context.js';
import { t } from './i18n.js';
import { PROCEDURES_ZH } from './timeline-zh.js';

// Chinese wording of the default protocol's purposes, by rule and step; others show the server's text.
const PURPOSES_ZH = {
  'post_op_urgent/after_2h': '术后2–3小时回访:询问疼痛、出血、不适,重复注意事项',
  'post_op_urgent/week_1': '一周回访:愈合与舒适情况,解答疑问',
  'prosthesis_invitation/month_2': '拔牙后约两个月:邀请回诊做修复',
  'next_day/day_1': '次日回访:舒适度、咬合、敏感',
  'root_canal/same_day': '根管治疗当天回访:疼痛与肿胀',
  'root_canal/restore_reminder': '尚未修复:提醒并预约修复',
  'ortho_retainer/week_1': '戴保持器一周:佩戴情况与习惯',
  'ortho_retainer/month_1': '保持器一个月复查:邀请回诊',
  'ortho_retainer/month_9': '保持器半年至一年回访:稳定性,邀请复查',
  'implant/within_24h': '种植术后24小时内:疼痛、肿胀、出血、用药',
  'implant/month_3': '种植后三个月:愈合情况,邀请复查',
  'implant/month_6': '种植后六个月:功能与清洁',
  'implant/yearly': '种植年度复查:邀请回诊',
  'implant/year_1': '种植年度复查:邀请回诊',
  'within_24h/within_24h': '24小时内回访:反应、疼痛、肿胀',
  'general/day_1': '第1天:术后反应与症状',
  'general/day_3': '第3天:恢复情况,解答疑问',
  'general/day_7': '第7天:恢复与满意度',
  'general/month_1': '一个月:叙旧、拉近关系、邀请回诊',
  'general/month_3': '三个月:关系维护、复查邀请、转介绍',
  'prospect/call_1': '咨询第1次:关心问候,回顾咨询内容,询问病情并给出建议;为下次电话留下理由',
  'prospect/call_2': '咨询第2次:讲相似病例的进展,询问现在的情况,解答疑虑,劝说来院',
  'prospect/call_3': '咨询第3次:询问是什么顾虑让患者迟迟未来,逐一化解,邀请来院',
  'prospect/senior_doctor': '三次未能说服且患者不满:资深医生回电,详细讲解病情',
  'prospect/keep_in_touch': '保持联系:询问病情与新的疑虑,邀请来院;为下次联系留下理由',
  'missed_appointment/within_1h': '患者爽约:不责备地询问原因,重新预约',
  'complaint_callback/doctor_calls_back': '投诉/不适回电:先道歉,找出原因,需要时预约复诊',
  'special_date/greeting': '特殊日子问候,提及门诊的小礼物',
};
const KIND_ZH = {
  missed_appointment: '患者爽约:询问原因,重新预约',
  prospect: '咨询未到诊患者回访',
  escalation: '资深医生回访',
  doctor_callback: '投诉/不适:主诊医生回电',
  greeting: '特殊日子问候',
};

/** What a complaint callback is about: the symptom the server put in its purpose ("… (reported: 咬合不适)"). */
export function reportedOf(purpose) {
  return /\(reported: ([^)]*)\)\s*$/.exec(purpose ?? '')?.[1];
}

export function purposeText(row, locale) {
  if (locale !== 'zh-CN') return row.purpose ?? '';
  if (row.kind === 'added') return row.purpose ?? '';
  const base = PURPOSES_ZH[`${row.ruleId}/${row.stepId}`] ?? KIND_ZH[row.kind] ?? row.purpose ?? '';
  const reported = reportedOf(row.purpose);
  return reported ? `${base}(患者反映:${reported})` : base;
}

/** A prospect call's number (1, 2, 3, …): the event's callNumber, else its step ('call_2'). */
export function callNumberOf(row) {
  if (row.callNumber) return row.callNumber;
  const n = /^call_(\d+)$/.exec(row.stepId ?? '')?.[1];
  return n ? Number(n) : undefined;
}

/** The kind of call as the caller says it: "咨询回访 · 第 2 次(共 3 次)". */
export function kindText(row) {
  const kind = t('followUpKinds')[row.kind] ?? row.kind ?? '';
  const n = row.kind === 'prospect' ? callNumberOf(row) : undefined;
  return n && n <= 3 ? `${kind} · ${t('prospectCall')(n)}` : kind;
}

export function procedureText(procedure, locale) {
  if (!procedure) return '';
  return locale === 'zh-CN' ? (PROCEDURES_ZH[procedure] ?? procedure) : procedure.replace(/_/g, ' ');
}

/** The queue as the console shows it: urgent first, then overdue, then one group per call window. */
export function queueRows(queue, clinic, locale) {
  return groupRows((queue?.items ?? []).map((item) => normalise(item, locale)), clinic);
}

export function groupRows(rows, clinic) {
  const todayStart = startOfLocalDay(new Date(), clinic.timeZone);
  const windows = [...(clinic.callWindows ?? [])].sort();
  const groups = new Map();
  const add = (key, title, className, row) => {
    if (!groups.has(key)) groups.set(key, { key, title, className, rows: [] });
    groups.get(key).rows.push(row);
  };
  for (const row of rows) {
    if (row.urgent) add('0-urgent', t('urgent'), 'urgent', row);
    else if (new Date(row.offeredAt ?? row.dueAt) < todayStart) add('1-overdue', t('overdue'), 'overdue', row);
    else {
      const local = localTime(row.offeredAt ?? row.dueAt, clinic.timeZone);
      const window = [...windows].reverse().find((w) => w <= local) ?? windows[0] ?? local;
      add(`2-${window}`, `${t('window')} ${window}`, 'window', row);
    }
  }
  return [...groups.values()].sort((a, b) => a.key.localeCompare(b.key));
}

export function normalise(item, locale) {
  const origin = item.origin ?? item.rule ?? {};
  const history = item.attemptHistory ?? item.history ?? [];
  const outcomes = t('outcomes');
  const attempts = item.attempts ?? history.length;
  const tried = history.map((h) => outcomes[h.outcome] ?? h.outcome);
  const patient = item.patient ?? {};
  const last = history.at(-1);
  const lastCallerId = item.lastCallerId ?? last?.callerId;
  const lastOutcome = item.lastOutcome ?? last?.outcome;
  const lastAt = item.lastAttemptAt ?? last?.startedAt;
  return {
    followUpId: item.followUpId,
    patientId: item.patientId,
    name: typeof patient.name === 'string' ? patient.name : item.patientId,
    phone: typeof patient.phone === 'string' ? patient.phone : undefined,
    purpose: item.purpose,
    kind: item.kind ?? 'treatment',
    ruleId: origin.ruleId,
    stepId: origin.stepId,
    callNumber: item.callNumber,
    procedureCode: item.procedure,
    procedure: procedureText(item.procedure, locale),
    doctorId: item.doctorId ?? item.attendingDoctorId ?? item.assignee?.doctorId,
    assignee: item.assignee,
    dueAt: item.dueAt,
    offeredAt: item.offeredAt ?? undefined,
    offeredNone: 'offeredAt' in item && item.offeredAt === null,
    dueLocal: formatWhen(item.offeredAt ?? item.dueAt),
    urgent: Boolean(item.urgent),
    deadlineAt: item.deadlineAt,
    late: Boolean(item.late),
    vip: Boolean(item.vip),
    claim: item.claim ?? undefined,
    attempts,
    callerIds: [...new Set(history.map((h) => h.callerId).filter(Boolean).concat(lastCallerId ? [lastCallerId] : []))],
    lastCallerId,
    historyText: `${t('attempts')(attempts)}${tried.length ? (locale === 'zh-CN' ? ':' : ': ') + tried.join(locale === 'zh-CN' ? '、' : ', ') : ''}`,
    lastText: lastCallerId ? t('lastCall')(staffName(lastCallerId), outcomes[lastOutcome] ?? lastOutcome ?? '', formatAt(lastAt)) : '',
  };
}

function localTime(iso, timeZone) {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso));
}

function startOfLocalDay(now, timeZone) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).formatToParts(now).map((p) => [p.type, p.value]));
  const sinceMidnight = ((Number(parts.hour) % 24) * 3600 + Number(parts.minute) * 60 + Number(parts.second)) * 1000;
  return new Date(now.getTime() - sinceMidnight);
}
