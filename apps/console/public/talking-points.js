// What to say on each kind of call, drawn from the seeds' advice (seed 000 §3–4, seed 002 ch. 1–2),
// in the words of this call: the patient's and the caller's names, the clinic, the purpose.
// Keyed by the protocol step that scheduled the call, then by its kind.
import { callNumberOf } from './queue-rows.js';

const POINTS = {
  early: {
    'zh-CN': (p) => [`先送上重视:"${p.patient}您好,我是${p.clinic}的${p.caller},今天打电话是关心您${p.procedure ? `${p.procedure}后` : '治疗后'}的情况。"`, '询问术后反应与症状:疼痛、出血、肿胀、咬合是否舒适。', `重复${p.doctor ? `${p.doctor}` : '医生'}的叮嘱与注意事项,解答疑问。`, `如有不适:先道歉、不争辩,预约复诊或转${p.doctor || '主诊医生'}回电。`],
    en: (p) => [`Open with care: "${p.patient}, this is ${p.caller} from ${p.clinic}, calling to see how you are after ${p.procedure ? `the ${p.procedure}` : 'the treatment'}."`, 'Ask about the reaction and symptoms: pain, bleeding, swelling, bite comfort.', `Repeat ${p.doctor ? `${p.doctor}'s` : "the doctor's"} aftercare advice and answer questions.`, `Any discomfort: apologise, never argue; book a visit or pass it to ${p.doctor || 'the attending doctor'}.`],
  },
  later: {
    'zh-CN': (p) => [`"${p.patient}您好,我是${p.clinic}的${p.caller},好久不见,最近牙齿感觉怎么样?"叙旧、拉家常,拉近关系(付出 → 链接 → 信任 → 选择)。`, '邀请回诊检查,告知门诊活动或小礼物。', '满意的患者:请其介绍家人朋友(转介绍)。', '记录生日、纪念日等特殊日子,以便问候。'],
    en: (p) => [`"${p.patient}, this is ${p.caller} from ${p.clinic}; how have your teeth been?" Catch up and build the relationship (give → connection → trust → choice).`, 'Invite back for a check-up; mention events or a small gift.', 'A satisfied patient: ask them to refer family and friends.', 'Note birthdays and anniversaries for greetings.'],
  },
  missed_appointment: {
    'zh-CN': (p) => [`"${p.patient}您好,我是${p.clinic}的${p.caller},今天没见到您来复诊,有点担心您。"关心询问原因,不责备。`, '强调治疗连续性的重要性。', '当场约定新的就诊时间。'],
    en: (p) => [`"${p.patient}, this is ${p.caller} from ${p.clinic}; we missed you today and wanted to check you are well." Ask why kindly; no blame.`, 'Explain why continuity of treatment matters.', 'Book a new time on the call.'],
  },
  prospect_1: {
    'zh-CN': (p) => [`"${p.patient}您好,我是${p.clinic}的${p.caller},您之前咨询过${p.concern || '我们'},今天想关心一下您现在的情况。"`, '开场二十几个字要切实扼要;询问病情与困扰,给出建议。', '倾听内容,也倾听情感;为下次电话留下理由。'],
    en: (p) => [`"${p.patient}, this is ${p.caller} from ${p.clinic}; you asked us about ${p.concern || 'your teeth'}, and I wanted to see how you are."`, 'Make the first sentence count: short and to the point; ask about the condition, give advice.', 'Listen to the content and to the feeling; leave a reason for the next call.'],
  },
  prospect_2: {
    'zh-CN': (p) => [`"${p.patient}您好,我是${p.clinic}的${p.caller},上次聊到您的情况,想再问问现在怎么样了。"`, '讲述相似病例的进展,给出来院的理由;把来院与不来的利弊比较给患者看。', '用次要选择促成预约:"您是周二上午还是周四下午方便?"'],
    en: (p) => [`"${p.patient}, this is ${p.caller} from ${p.clinic}; how have things been since we last spoke?"`, "Tell of a similar patient's progress; compare coming with not coming.", 'Close on a minor choice: "Tuesday morning or Thursday afternoon?"'],
  },
  prospect_3: {
    'zh-CN': (p) => [`"${p.patient}您好,我是${p.clinic}的${p.caller},想了解一下是什么让您还在犹豫?"`, '询问顾虑并逐一化解;除非对方连续七次说"不",否则不要轻易放弃。', '仍未成功且患者对我们不满:勾选“患者对门诊有不满情绪”,由资深医生回电。'],
    en: (p) => [`"${p.patient}, this is ${p.caller} from ${p.clinic}; may I ask what still holds you back?"`, "Answer each doubt; don't give up before seven consecutive no's.", 'Still no and unhappy with us: tick "unhappy with the clinic" and a senior doctor calls back.'],
  },
  escalation: {
    'zh-CN': (p) => [`"${p.patient}您好,我是${p.clinic}的${p.caller}医生,专门来为您解答关于病情的疑虑。"`, '专业解答患者的疑虑,给出明确的诊疗建议。', '约定来院时间。'],
    en: (p) => [`"${p.patient}, this is Dr ${p.caller} from ${p.clinic}; I am calling to go through your questions about the condition."`, 'Answer the doubts professionally; give a clear recommendation.', 'Agree a time to come in.'],
  },
  doctor_callback: {
    'zh-CN': (p) => [`先道歉、不争辩:"${p.patient}您好,我是${p.clinic}的${p.caller},${p.reported ? `听说您反映${p.reported},` : '听说您有些不舒服,'}非常抱歉给您带来不便。"`, '了解不适的具体情况:从什么时候开始、程度、是否加重,给出处理意见。', '必要时当场预约尽快复诊;记录患者的满意度。'],
    en: (p) => [`Apologise first, never argue: "${p.patient}, this is ${p.caller} from ${p.clinic}; ${p.reported ? `I heard about ${p.reported}` : 'I heard you were not comfortable'} and I am sorry."`, 'Find out exactly what is wrong: since when, how bad, getting worse? Advise.', 'Book an early visit when needed; record the satisfaction.'],
  },
  greeting: {
    'zh-CN': (p) => [`"${p.patient}您好,我是${p.clinic}的${p.caller},祝您节日/生日快乐!"`, '送上门诊的祝福与小礼物,不推销,只表达关心。'],
    en: (p) => [`"${p.patient}, this is ${p.caller} from ${p.clinic}: happy birthday!"`, 'A greeting and a small gift from the clinic. No selling: only care.'],
  },
  added: {
    'zh-CN': (p) => [`"${p.patient}您好,我是${p.clinic}的${p.caller}。"`, `按约定联系:${p.purpose}`, '通话结束前为下次联系留下理由。'],
    en: (p) => [`"${p.patient}, this is ${p.caller} from ${p.clinic}."`, `As agreed: ${p.purpose}`, 'Before hanging up, leave a reason for the next contact.'],
  },
};

const EARLY_STEPS = new Set(['after_2h', 'day_1', 'day_3', 'day_7', 'week_1', 'same_day', 'within_24h']);

/**
 * The points for this call. `names`: { patient, caller, clinic, doctor, procedure, purpose,
 * reported, concern } as the caller should say them.
 */
export function talkingPointsFor(row, locale, names = {}) {
  const points = POINTS[keyOf(row)] ?? POINTS.later;
  const make = points[locale] ?? points.en;
  return make({ patient: '', caller: '', clinic: '', ...names });
}

function keyOf(row) {
  if (row.kind === 'prospect') {
    if (row.stepId === 'senior_doctor') return 'escalation';
    return `prospect_${Math.min(3, callNumberOf(row) ?? 1)}`;
  }
  if (row.kind && row.kind !== 'treatment') return row.kind;
  return EARLY_STEPS.has(row.stepId) ? 'early' : 'later';
}
