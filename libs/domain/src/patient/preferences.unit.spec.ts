/**
 * SetContactPreferences: recorded as a whole (the queue applies times, work hours, do-not-call and
 * VIP when it is read); special dates make greetings at the first window of the day, every year.
 * Now is Mon 2026-11-23 15:00 Shanghai (07:00Z); 10:30 local = 02:30Z, 16:00 local = 08:00Z.
 */
import { attempted, reportedWrong, callCommand, closed, fu, preferencesSet, PURPOSE } from '../../test/engine-fixtures';
import { at, PATIENT_ID, spec, TREATED } from '../../test/patient-fixtures';
import type { PatientEvent, SpecialDate } from '../events';
import type { ChangeContactPreferences, SetContactPreferences } from './patient.commands';

const P = PATIENT_ID;
const NOW = at('2026-11-23T07:00:00Z');
const set = (data: Omit<SetContactPreferences['data'], 'patientId'> = {}): SetContactPreferences => ({ type: 'SetContactPreferences', data: { patientId: P, ...data } });
const BIRTHDAY: SpecialDate = { kind: 'birthday', date: '03-15' };
const greeting = (n: number, dueAt: string, specialDate: SpecialDate, extra = {}) =>
  fu(P, n, 'special_date', 'greeting', dueAt, `${PURPOSE.greeting} (${specialDate.kind})`, { kind: 'greeting', specialDate, ...extra });

describe('SetContactPreferences', () => {
  it('records the preferences and a greeting on the next birthday, 2027-03-15 10:30 local', () => {
    spec(TREATED)
      .when(set({ preferredTimes: ['12:00-13:00'], avoidWorkHours: true, specialDates: [BIRTHDAY], vip: true }), NOW)
      .then([preferencesSet(P, { preferredTimes: ['12:00-13:00'], avoidWorkHours: true, specialDates: [BIRTHDAY], vip: true }), greeting(6, '2027-03-15T02:30:00Z', BIRTHDAY)]);
  });

  it('a date with its year (a wedding in 2010) is greeted every year: next 2027-05-20', () => {
    const wedding = { kind: 'wedding_anniversary', date: '2010-05-20' };
    spec(TREATED).when(set({ specialDates: [wedding] }), NOW).then([preferencesSet(P, { specialDates: [wedding] }), greeting(6, '2027-05-20T02:30:00Z', wedding)]);
  });

  it('a birthday today, after the first window: the 16:00 window today', () => {
    const today = { kind: 'birthday', date: '11-23' };
    spec(TREATED).when(set({ specialDates: [today] }), NOW).then([preferencesSet(P, { specialDates: [today] }), greeting(6, '2026-11-23T08:00:00Z', today)]);
  });

  it('a birthday today after the last window: next year', () => {
    const today = { kind: 'birthday', date: '11-23' };
    spec(TREATED).when(set({ specialDates: [today] }), at('2026-11-23T08:30:00Z')).then([preferencesSet(P, { specialDates: [today] }), greeting(6, '2027-11-23T02:30:00Z', today)]);
  });

  it('02-29 is greeted on 02-28 in a common year', () => {
    const leap = { kind: 'birthday', date: '02-29' };
    spec(TREATED).when(set({ specialDates: [leap] }), NOW).then([preferencesSet(P, { specialDates: [leap] }), greeting(6, '2027-02-28T02:30:00Z', leap)]);
  });

  it('one greeting per date: a repeated date is dropped', () => {
    spec(TREATED).when(set({ specialDates: [BIRTHDAY, { ...BIRTHDAY }] }), NOW).then([preferencesSet(P, { specialDates: [BIRTHDAY] }), greeting(6, '2027-03-15T02:30:00Z', BIRTHDAY)]);
  });

  it('records nothing when the preferences are the same', () => {
    spec([...TREATED, preferencesSet(P, { vip: true, doNotCall: false })]).when(set({ doNotCall: false, vip: true }), NOW).thenNothing();
  });

  it('replaces the preferences as a whole: leaving a field out clears it', () => {
    spec([...TREATED, preferencesSet(P, { vip: true, preferredTimes: ['12:00-13:00'] })]).when(set({ vip: true }), NOW).then([preferencesSet(P, { vip: true })]);
  });

  it('keeps an open greeting for a date still listed, and schedules one only for a new date', () => {
    const anniversary = { kind: 'wedding_anniversary', date: '06-01' };
    const history = [...TREATED, preferencesSet(P, { specialDates: [BIRTHDAY] }), greeting(6, '2027-03-15T02:30:00Z', BIRTHDAY)];
    spec(history)
      .when(set({ specialDates: [BIRTHDAY, anniversary] }), NOW)
      .then([preferencesSet(P, { specialDates: [BIRTHDAY, anniversary] }), greeting(7, '2027-06-01T02:30:00Z', anniversary)]);
  });

  it('a date removed closes its open greeting as withdrawn', () => {
    const history = [...TREATED, preferencesSet(P, { specialDates: [BIRTHDAY] }), greeting(6, '2027-03-15T02:30:00Z', BIRTHDAY)];
    spec(history).when(set({ specialDates: [] }), NOW).then([preferencesSet(P, { specialDates: [] }), closed(`${P}.fu6`, 'withdrawn', 0)]);
  });

  it('do-not-call: no greeting is scheduled; lifting it later schedules the missing ones', () => {
    spec(TREATED).when(set({ doNotCall: true, specialDates: [BIRTHDAY] }), NOW).then([preferencesSet(P, { doNotCall: true, specialDates: [BIRTHDAY] })]);
    spec([...TREATED, preferencesSet(P, { doNotCall: true, specialDates: [BIRTHDAY] })])
      .when(set({ doNotCall: false, specialDates: [BIRTHDAY] }), NOW)
      .then([preferencesSet(P, { doNotCall: false, specialDates: [BIRTHDAY] }), greeting(6, '2027-03-15T02:30:00Z', BIRTHDAY)]);
  });

  describe('refusals', () => {
    it('a patient with no record: not found', () => {
      spec([]).when(set({ vip: true }), NOW).thenRefuses('unknown_patient', 'not_found');
    });

    it.each(['02-30', '13-01', '2023-02-29', '3-15'])('an impossible special date %s', (date) => {
      const refusal = spec(TREATED).when(set({ specialDates: [{ kind: 'birthday', date }] }), NOW).thenRefuses('special_date_invalid', 'rule');
      expect(refusal.message).toContain(date);
    });

    // 13:00-12:00 runs overnight and is accepted (issue 15); an empty range is not.
    it.each(['12:00-12:00', '24:00-25:00', 'noon'])('a preferred time %s', (range) => {
      spec(TREATED).when(set({ preferredTimes: [range] }), NOW).thenRefuses('preferred_time_invalid', 'rule');
    });
  });
});

describe('a greeting that closes schedules next year’s', () => {
  const GREETED: PatientEvent[] = [...TREATED, preferencesSet(P, { specialDates: [BIRTHDAY] }), greeting(6, '2027-03-15T02:30:00Z', BIRTHDAY)];
  const CALL = '2027-03-15T02:40:00Z';
  const THEN = at('2027-03-15T03:00:00Z');

  it('reached on the birthday → 2028-03-15, following it', () => {
    spec(GREETED)
      .when(callCommand(P, 'reached', CALL, { followUpId: `${P}.fu6` }), THEN)
      .then([attempted(P, 7, 'reached', CALL, { followUpId: `${P}.fu6` }), closed(`${P}.fu6`, 'completed', 1, { callId: `${P}.call7` }), greeting(8, '2028-03-15T02:30:00Z', BIRTHDAY, { follows: `${P}.fu6` })]);
  });

  it('02-28 in a common year → 02-29 in the leap year after', () => {
    const leap = { kind: 'birthday', date: '02-29' };
    const history = [...TREATED, preferencesSet(P, { specialDates: [leap] }), greeting(6, '2027-02-28T02:30:00Z', leap)];
    spec(history)
      .when(callCommand(P, 'reached', '2027-02-28T02:40:00Z', { followUpId: `${P}.fu6` }), at('2027-02-28T03:00:00Z'))
      .then([
        attempted(P, 7, 'reached', '2027-02-28T02:40:00Z', { followUpId: `${P}.fu6` }),
        closed(`${P}.fu6`, 'completed', 1, { callId: `${P}.call7` }),
        greeting(8, '2028-02-29T02:30:00Z', leap, { follows: `${P}.fu6` }),
      ]);
  });

  it('none when the patient has since asked not to be called', () => {
    spec([...GREETED, preferencesSet(P, { specialDates: [BIRTHDAY], doNotCall: true })])
      .when(callCommand(P, 'reached', CALL, { followUpId: `${P}.fu6` }), THEN)
      .then([attempted(P, 7, 'reached', CALL, { followUpId: `${P}.fu6` }), closed(`${P}.fu6`, 'completed', 1, { callId: `${P}.call7` })]);
  });

  it('none after a wrong number (the greeting waits for the right number)', () => {
    spec(GREETED)
      .when(callCommand(P, 'wrong_number', CALL, { followUpId: `${P}.fu6` }), THEN)
      .then([attempted(P, 7, 'wrong_number', CALL, { followUpId: `${P}.fu6` }), reportedWrong(P, 7)]);
  });
});

describe('ChangeContactPreferences (PATCH: only the fields sent; null clears one)', () => {
  const change = (changes: ChangeContactPreferences['data']['changes']): ChangeContactPreferences => ({ type: 'ChangeContactPreferences', data: { patientId: P, changes } });
  const AS_SET = [...TREATED, preferencesSet(P, { doNotCall: true, vip: true, preferredTimes: ['12:00-13:00'] })];
  const changed = (data: object, changedFields: object) => ({ type: 'ContactPreferencesChanged', data: { patientId: P, clinicId: 'c1', ...data, changed: changedFields } }) as PatientEvent;

  it('changes what is sent and keeps the rest: do-not-call and VIP survive a change of times', () => {
    spec(AS_SET)
      .when(change({ preferredTimes: ['18:00-20:00'] }), NOW)
      .then([changed({ doNotCall: true, vip: true, preferredTimes: ['18:00-20:00'] }, { preferredTimes: ['18:00-20:00'] })]);
  });

  it('null clears a field', () => {
    spec(AS_SET).when(change({ doNotCall: null }), NOW).then([changed({ vip: true, preferredTimes: ['12:00-13:00'] }, { doNotCall: null })]);
  });

  it('records nothing when nothing changes', () => {
    spec(AS_SET).when(change({ vip: true }), NOW).thenNothing();
  });

  it('a special date added by a change gets its greeting', () => {
    spec(TREATED)
      .when(change({ specialDates: [BIRTHDAY] }), NOW)
      .then([changed({ specialDates: [BIRTHDAY] }, { specialDates: [BIRTHDAY] }), greeting(6, '2027-03-15T02:30:00Z', BIRTHDAY)]);
  });

  it('an overnight range is accepted (22:00-07:00); an empty one is refused', () => {
    spec(TREATED).when(change({ preferredTimes: ['22:00-07:00'] }), NOW).then([changed({ preferredTimes: ['22:00-07:00'] }, { preferredTimes: ['22:00-07:00'] })]);
    spec(TREATED).when(change({ preferredTimes: ['09:00-09:00'] }), NOW).thenRefuses('preferred_time_invalid');
  });
});
