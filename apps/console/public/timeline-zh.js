// Chinese lines for the patient's timeline, made from the stored event (the server's timeline is in
// English for API clients). Anything not covered here shows the server's English line. People are
// named from the staff directory.
import { staffName } from './context.js';

const OUTCOMES = { reached: '已接通', no_answer: '无人接听', busy: '占线', powered_off: '关机', hung_up: '挂断', wrong_number: '号码错误', call_back_later: '要求稍后回电', declined: '拒绝' };
const CLOSED = { completed: '已完成', unreachable: '多次未接通,关闭', declined: '患者拒绝', wrong_number: '号码错误', booked: '已预约', visited: '患者已到诊', persuasion_stopped: '停止劝说', withdrawn: '特殊日子已取消', escalated: '改由资深医生回电', expired: '紧急回访已过期' };
const KINDS = { treatment: '回访', missed_appointment: '爽约回访', prospect: '咨询回访', escalation: '资深医生回访', doctor_callback: '医生回电', greeting: '问候', added: '回访' };
const OBJECTION_KINDS = { trivial: '微不足道', half_informed: '半生不熟', sincere: '真诚' };
const METHODS = { convert: '转化为来院理由', let_patient_answer: '让患者自己回答', inform: '提供信息', acknowledge: '承认并继续', deny: '否认', defer: '暂缓', no_reply: '不予答复' };

export const PROCEDURES_ZH = {
  extraction: '拔牙', root_canal_filling: '根充', root_canal_treatment: '根管治疗', ortho_first_fitting: '正畸初戴', ortho_adjustment: '正畸加力',
  ortho_retainer: '保持器', prosthesis_fitting: '义齿初戴', scaling: '洗牙', implant_surgery: '种植手术', pulp_opening: '开髓',
  canal_enlargement_reaction: '扩根反应', infusion: '输液', other: '其他治疗',
};

export function zhLine(event, timeZone) {
  const d = event.data ?? {};
  const at = (iso) => (iso ? new Intl.DateTimeFormat('zh-CN', { timeZone, month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso)) : '');
  switch (event.type) {
    case 'TreatmentCompleted':
      return `完成治疗 ${PROCEDURES_ZH[d.procedure] ?? d.procedure}(${staffName(d.doctorId)})${d.restored === false ? ',尚未修复' : ''}${d.needsProsthesis ? ',需要修复体' : ''}`;
    case 'FollowUpScheduled':
      return `${d.urgent ? '紧急' : ''}${KINDS[d.kind ?? 'treatment'] ?? '回访'}已安排:${at(d.dueAt)}${d.assignee ? `(${d.assignee.role === 'senior_doctor' ? '资深医生' : staffName(d.assignee.doctorId) || '医生'})` : ''}`;
    case 'CallAttempted':
      return `${staffName(d.callerId)} 致电:${OUTCOMES[d.outcome] ?? d.outcome}${d.satisfaction ? `,满意度 ${d.satisfaction}/5` : ''}${d.notes ? `。${d.notes}` : ''}${d.symptoms ? `。症状:${d.symptoms}` : ''}${d.complaint ? '。已转主诊医生' : ''}`;
    case 'FollowUpRescheduled':
      return d.reason === 'call_back_later' ? `按患者要求改到 ${at(d.dueAt)} 再打` : `第 ${d.attempts} 次未接通,改到 ${at(d.dueAt)} 重拨`;
    case 'FollowUpAdded':
      return `新增回访(${at(d.dueAt)}${d.assignee?.doctorId ? `,${staffName(d.assignee.doctorId)}` : ''}):${d.purpose}`;
    case 'FollowUpClaimed':
      return `${staffName(d.claimedBy)} 开始处理回访(至 ${at(d.until)})`;
    case 'PhoneNumberReportedWrong':
      return '通话发现电话号码错误,回访暂停,等待补充号码';
    case 'PersonalDetailsCorrected':
      return `个人信息已更正${d.reason ? `:${d.reason}` : ''}`;
    case 'AppointmentAttended':
      return `患者已到诊(${at(d.at)})`;
    case 'CallRecordCorrected':
    case 'ObjectionRecordCorrected':
    case 'ReferralRecordCorrected':
    case 'AppointmentRecordCorrected':
    case 'TreatmentRecordCorrected':
      return `记录更正:${Object.keys(d.corrected ?? {}).join('、')}(原因:${d.reason})`;
    case 'FollowUpMoved':
      return `回访改到 ${at(d.dueAt)}:${d.reason}`;
    case 'FollowUpCancelled':
      return `回访取消:${d.reason}`;
    case 'FollowUpClosed':
      return `回访关闭:${CLOSED[d.reason] ?? d.reason}(共 ${d.attempts ?? 0} 次)`;
    case 'ObjectionRaised':
      return `异议(${OBJECTION_KINDS[d.kind] ?? d.kind},${d.topic}):${METHODS[d.method] ?? d.method},${d.resolved ? '已化解' : '未化解'}`;
    case 'ReferralRequested':
      return `请求转介绍${[d.referred?.relation, typeof d.referred?.name === 'string' ? d.referred.name : ''].filter(Boolean).join(' ') ? `(${[d.referred?.relation, typeof d.referred?.name === 'string' ? d.referred.name : ''].filter(Boolean).join(' ')})` : ''}${d.note ? `:${d.note}` : ''}`;
    case 'AppointmentBooked':
      return `预约到院:${at(d.scheduledFor)}${d.doctorId ? `,${staffName(d.doctorId)}` : ''}${d.referralId ? '(转介绍)' : ''}`;
    case 'AppointmentMissed':
      return '患者爽约';
    case 'InquiryReceived':
      return `咨询${d.concern ? `:${d.concern}` : ''}`;
    case 'ContactPreferencesSet':
    case 'ContactPreferencesChanged':
      return `联系偏好:${[d.doNotCall && '不再致电', d.avoidWorkHours && '工作时间勿扰', d.preferredTimes?.length && `方便时段 ${d.preferredTimes.join('、')}`, d.vip && '大患者'].filter(Boolean).join(',') || '无限制'}`;
    case 'ProspectPersuasionStopped':
      return `连续 ${d.consecutiveRefusals} 次拒绝,停止劝说`;
    case 'PersonalDataErased':
      return '个人信息已删除';
    default:
      return undefined;
  }
}
