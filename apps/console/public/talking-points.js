// What to ask on each kind of call, drawn from the seeds' advice (seed 000 §3–4, seed 002 ch. 1–2).
// Keyed by the protocol step that scheduled the call, then by its kind.
const POINTS = {
  early: {
    'zh-CN': ['先送上重视:"王先生您好,我是微笑口腔的张护士,今天打电话是关心您治疗后的情况。"', '询问术后反应与症状:疼痛、出血、肿胀、咬合是否舒适。', '重复医生的叮嘱与注意事项,解答疑问。', '如有不适:先道歉、不争辩,预约复诊或转主诊医生回电。'],
    en: ['Open with care: "Mr Wang, this is nurse Zhang from Smile Dental, calling to see how you are after the treatment."', 'Ask about the reaction and symptoms: pain, bleeding, swelling, bite comfort.', "Repeat the doctor's aftercare advice and answer questions.", 'Any discomfort: apologise, never argue; book a visit or pass it to the attending doctor.'],
  },
  later: {
    'zh-CN': ['叙旧、拉家常,拉近关系(付出 → 链接 → 信任 → 选择)。', '邀请回诊检查,告知门诊活动或小礼物。', '满意的患者:请其介绍家人朋友(转介绍)。', '记录生日、纪念日等特殊日子,以便问候。'],
    en: ['Catch up and build the relationship (give → connection → trust → choice).', 'Invite back for a check-up; mention events or a small gift.', 'A satisfied patient: ask them to refer family and friends.', 'Note birthdays and anniversaries for greetings.'],
  },
  missed_appointment: {
    'zh-CN': ['关心询问未能到诊的原因,不责备。', '强调治疗连续性的重要性。', '当场约定新的就诊时间。'],
    en: ['Ask kindly why the visit was missed; no blame.', 'Explain why continuity of treatment matters.', 'Book a new time on the call.'],
  },
  prospect_1: {
    'zh-CN': ['关心问候,询问病情与困扰。', '开场二十几个字要切实扼要。', '倾听内容,也倾听情感。'],
    en: ['Greet with care; ask about the condition and what troubles them.', 'Make the first sentence count: short and to the point.', 'Listen to the content and to the feeling.'],
  },
  prospect_2: {
    'zh-CN': ['讲述相似病例的进展,给出来院的理由。', '把来院的利弊比较给患者看,再请求预约。', '用次要选择促成预约:"您是周二上午还是周四下午方便?"'],
    en: ["Tell of a similar patient's progress: a reason to come.", 'Compare coming with not coming, then ask for the booking.', 'Close on a minor choice: "Tuesday morning or Thursday afternoon?"'],
  },
  prospect_3: {
    'zh-CN': ['询问是什么顾虑让您迟迟未来,并逐一化解。', '除非对方连续七次说"不",否则不要轻易放弃。', '仍未成功且患者不满意:请资深医生回访。'],
    en: ['Ask what holds them back and answer it.', "Don't give up before seven consecutive no's.", 'Still no and unhappy: a senior doctor calls back.'],
  },
  escalation: {
    'zh-CN': ['资深医生回访:专业解答患者的疑虑。', '给出明确的诊疗建议与预约时间。'],
    en: ['Senior doctor calls back: answer the doubts professionally.', 'Give a clear recommendation and a time to come in.'],
  },
  doctor_callback: {
    'zh-CN': ['主诊医生回电:先道歉,不争辩。', '了解不适的具体情况,给出处理意见。', '必要时预约尽快复诊。'],
    en: ['Attending doctor calls back: apologise first, never argue.', 'Find out exactly what is wrong and advise.', 'Book an early visit when needed.'],
  },
  greeting: {
    'zh-CN': ['节日/生日问候,送上门诊的祝福。', '不推销,只表达关心。'],
    en: ["A greeting for the patient's special day, from the clinic.", 'No selling: only care.'],
  },
};

const EARLY_STEPS = new Set(['after_2h', 'day_1', 'day_3', 'day_7', 'week_1', 'same_day', 'within_24h']);

export function talkingPointsFor(row, locale) {
  const key = row.kind && row.kind !== 'treatment' ? prospectKey(row) : EARLY_STEPS.has(row.stepId) ? 'early' : 'later';
  const points = POINTS[key] ?? POINTS.later;
  return points[locale] ?? points.en;
}

function prospectKey(row) {
  if (row.kind !== 'prospect') return row.kind;
  const n = /(\d)/.exec(row.stepId ?? '')?.[1] ?? '1';
  return `prospect_${Math.min(3, Number(n))}`;
}
