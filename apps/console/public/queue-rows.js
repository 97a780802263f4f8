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
  'implant/year_1': '种植年度复查:邀请回诊',
  'within_24h/within_24h': '24小时内回访:反应、疼痛、肿胀',
  'general/day_1': '第1天:术后反应与症状',
  'general/day_3': '第3天:恢复情况,解答疑问',
  'general/day_7': '第7天:恢复与满意度',
  'general/month_1': '一个月:叙旧、拉近关系、邀请回诊',
  'general/month_3': '三个月:关系维护、复查邀请、转介绍',
};
const KIND_ZH = {
  missed_appointment: '患者爽约:询问原因,重新预约',
  prospect: '咨询未到诊患者回访',
  escalation: '资深医生回访',
  doctor_callback: '投诉/不适:主诊医生回电',
  greeting: '特殊日子问候',
};

export function purposeText(row, locale) {
  if (locale !== 'zh-CN') return row.purpose ?? '';
  return PURPOSES_ZH[`${row.ruleId}/${row.stepId}`] ?? KIND_ZH[row.kind] ?? row.purpose ?? '';
}

/** The queue as the console shows it: urgent first, then overdue, then one group per call window. */
export function queueRows(queue, clinic, locale) {
  const items = Array.isArray(queue) ? queue : queue?.items ?? queue?.calls ?? [];
  const rows = items.map((item) => normalise(item, clinic.timeZone, locale));
  const todayStart = startOfLocalDay(new Date(), clinic.timeZone);
  const windows = [...(clinic.callWindows ?? [])].sort();
  const groups = new Map();
  const add = (key, title, className, row) => {
    if (!groups.has(key)) groups.set(key, { title, className, rows: [] });
    groups.get(key).rows.push(row);
  };
  for (const row of rows) {
    if (row.urgent) add('0-urgent', t('urgent'), 'urgent', row);
    else if (new Date(row.dueAt) < todayStart) add('1-overdue', t('overdue'), 'overdue', row);
    else {
      const local = localTime(row.dueAt, clinic.timeZone);
      const window = [...windows].reverse().find((w) => w <= local) ?? windows[0] ?? local;
      add(`2-${window}`, `${t('window')} ${window}`, 'window', row);
    }
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, group]) => group);
}

function normalise(item, timeZone, locale) {
  const origin = item.origin ?? item.rule ?? {};
  const history = item.history ?? item.attemptHistory ?? [];
  const outcomes = t('outcomes');
  const attempts = item.attempts ?? item.attemptCount ?? history.length;
  const tried = history.map((h) => outcomes[h.outcome ?? h] ?? h.outcome ?? h);
  const patient = item.patient ?? {};
  return {
    followUpId: item.followUpId,
    patientId: item.patientId,
    name: item.patientName ?? patient.name ?? item.name ?? item.patientId,
    phone: item.patientPhone ?? patient.phone ?? item.phone,
    purpose: item.purpose,
    kind: item.kind ?? 'treatment',
    ruleId: item.ruleId ?? origin.ruleId,
    stepId: item.stepId ?? origin.stepId,
    procedure: locale === 'zh-CN' ? (PROCEDURES_ZH[item.procedure] ?? item.procedure) : item.procedure,
    dueAt: item.dueAt,
    dueLocal: new Intl.DateTimeFormat(locale, { timeZone, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(item.dueAt)),
    urgent: Boolean(item.urgent),
    vip: Boolean(item.vip),
    historyText: `${t('attempts')(attempts)}${tried.length ? (locale === 'zh-CN' ? ':' : ': ') + tried.join(locale === 'zh-CN' ? '、' : ', ') : ''}`,
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
