import type { CallOutcome } from '@rapport/domain';

/**
 * What a typical dental clinic's month looks like, for the demo and the benchmarks' simulated logs:
 * the procedure mix, how calls end, and the names and notes that fill the screens.
 */
export const PROCEDURE_MIX: Record<string, number> = {
  scaling: 22,
  other: 18,
  extraction: 12,
  root_canal_treatment: 9,
  root_canal_filling: 8,
  prosthesis_fitting: 7,
  implant_surgery: 6,
  ortho_adjustment: 7,
  ortho_first_fitting: 3,
  ortho_retainer: 3,
  pulp_opening: 5,
};

/** Relative weights of call outcomes: a little over half the calls reach the patient. */
export const OUTCOME_MIX: Record<CallOutcome, number> = {
  reached: 58,
  no_answer: 17,
  busy: 7,
  powered_off: 6,
  hung_up: 3,
  call_back_later: 5,
  declined: 3,
  wrong_number: 1,
};

export const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林'];
export const GIVEN_NAMES = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '霞', '平', '刚', '桂英', '建华', '晓燕'];
export const NOTES_REACHED = ['恢复良好,无明显不适', '有轻微酸痛,已告知注意事项', '对治疗很满意', '询问了下次复诊时间', '牙龈略有出血,建议温盐水漱口'];
