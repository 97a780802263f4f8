/**
 * The protocol is versioned data: a clinic's change makes a new version, new follow-ups name it,
 * and what was already scheduled is never rewritten. Shanghai clinic, 10:30 local = 02:30Z.
 */
import { DeciderSpecification } from '../../test/decider-specification';
import { attempted, callCommand, fu, inquiry, PURPOSE, retried } from '../../test/engine-fixtures';
import { at, clinic, CLINIC_ID, PATIENT_ID, spec, treatment, TREATED } from '../../test/patient-fixtures';
import { clinicDecider, ConfigureClinic, evolveClinic, initialClinicState } from '../clinic/clinic';
import type { ClinicConfigured } from '../events';
import { evolvePatient, initialPatientState } from '../patient/patient.state';
import { DEFAULT_PROTOCOL } from './default-protocol';
import { Protocol, protocolProblems, ProtocolRule } from './protocol';

const OWN_RULES: ProtocolRule[] = [{ id: 'own', procedures: ['*'], steps: [{ id: 'day_2', timing: { kind: 'day_window', afterDays: 2 }, purpose: 'Day 2 check' }] }];
const V2: Protocol = { version: 2, rules: OWN_RULES };

describe('a protocol change never rewrites what was scheduled', () => {
  it('changing the clinic’s protocol records only ClinicConfigured: no patient’s follow-up is touched', () => {
    const given: ClinicConfigured = { type: 'ClinicConfigured', data: { clinicId: CLINIC_ID, timeZone: 'Asia/Shanghai', callWindows: ['10:30', '16:00'], maxAttempts: 3, protocol: DEFAULT_PROTOCOL } };
    const events = DeciderSpecification.for(clinicDecider)([given])
      .when({ type: 'ConfigureClinic', data: { clinicId: CLINIC_ID, timeZone: 'Asia/Shanghai', callWindows: ['10:30', '16:00'], protocol: { rules: OWN_RULES } } })
      .then([{ type: 'ClinicConfigured', data: { ...given.data, protocol: V2 } }]);
    expect(events.map((e) => e.type)).toEqual(['ClinicConfigured']);
  });

  it('a follow-up made under version 1 keeps its origin and due time when worked under version 2', () => {
    const v2 = at('2026-11-24T03:00:00Z', clinic({ protocol: V2 }));
    const events = spec(TREATED)
      .when(callCommand(PATIENT_ID, 'no_answer', '2026-11-24T02:35:00Z', { followUpId: 'p1.fu1' }), v2)
      .then([attempted(PATIENT_ID, 6, 'no_answer', '2026-11-24T02:35:00Z', { followUpId: 'p1.fu1' }), retried('p1.fu1', 6, 1, '2026-11-24T08:00:00Z')]);
    const state = [...TREATED, ...events].reduce(evolvePatient, initialPatientState());
    expect(state.followUps.get('p1.fu1')!.origin).toEqual({ protocolVersion: 1, ruleId: 'general', stepId: 'day_1' });
    // The other four are exactly as version 1 scheduled them.
    expect(['p1.fu2', 'p1.fu3', 'p1.fu4', 'p1.fu5'].map((id) => [state.followUps.get(id)!.dueAt, state.followUps.get(id)!.origin.protocolVersion])).toEqual([
      ['2026-11-26T02:30:00Z', 1],
      ['2026-11-30T02:30:00Z', 1],
      ['2026-12-23T02:30:00Z', 1],
      ['2027-02-23T02:30:00Z', 1],
    ]);
  });

  it('a new treatment under version 2 gets version 2’s follow-ups beside version 1’s', () => {
    spec(TREATED)
      .when({ type: 'CompleteTreatment', data: { ...treatment, treatmentId: 't2', completedAt: '2026-11-24T06:00:00Z' } }, at('2026-11-24T07:00:00Z', clinic({ protocol: V2 })))
      .then([
        { type: 'TreatmentCompleted', data: { ...treatment, treatmentId: 't2', completedAt: '2026-11-24T06:00:00Z' } },
        fu(PATIENT_ID, 6, 'own', 'day_2', '2026-11-26T02:30:00Z', 'Day 2 check', { treatmentId: 't2', origin: { protocolVersion: 2, ruleId: 'own', stepId: 'day_2' } }),
      ]);
  });

  it('a protocol that overrides only the procedure rules keeps the default prospect calls, stamped with its own version', () => {
    spec([])
      .when({ type: 'ReceiveInquiry', data: { patientId: 'q1', clinicId: CLINIC_ID, receivedAt: '2026-11-23T06:00:00Z' } }, at('2026-11-23T07:00:00Z', clinic({ protocol: V2 })))
      .then([
        inquiry('q1', 1, '2026-11-23T06:00:00Z'),
        fu('q1', 2, 'prospect', 'call_1', '2026-11-24T02:30:00Z', PURPOSE.call1, { kind: 'prospect', callNumber: 1, inquiryId: 'q1.inq1', origin: { protocolVersion: 2, ruleId: 'prospect', stepId: 'call_1' } }),
      ]);
  });
});

describe('ConfigureClinic with the non-treatment sections', () => {
  const clinicSpec = DeciderSpecification.for(clinicDecider);
  const configure = (protocol: ConfigureClinic['data']['protocol']): ConfigureClinic => ({
    type: 'ConfigureClinic',
    data: { clinicId: CLINIC_ID, timeZone: 'Asia/Shanghai', callWindows: ['10:30', '16:00'], ...(protocol ? { protocol } : {}) },
  });
  const DEFAULTED: ClinicConfigured = { type: 'ClinicConfigured', data: { clinicId: CLINIC_ID, timeZone: 'Asia/Shanghai', callWindows: ['10:30', '16:00'], maxAttempts: 3, protocol: DEFAULT_PROTOCOL } };
  const shorterProspect = { ...DEFAULT_PROTOCOL.prospect!, stopAfterRefusals: 5 };

  it('a changed section is a new version, stored as sent', () => {
    clinicSpec([DEFAULTED])
      .when(configure({ rules: DEFAULT_PROTOCOL.rules, prospect: shorterProspect }))
      .then([{ type: 'ClinicConfigured', data: { ...DEFAULTED.data, protocol: { version: 2, rules: DEFAULT_PROTOCOL.rules, prospect: shorterProspect } } }]);
  });

  it('sending the default’s sections explicitly changes nothing (a left-out section means the default)', () => {
    const { version: _v, ...explicit } = DEFAULT_PROTOCOL;
    clinicSpec([DEFAULTED]).when(configure({ rules: DEFAULT_PROTOCOL.rules, prospect: DEFAULT_PROTOCOL.prospect })).thenNothing();
    clinicSpec([DEFAULTED]).when(configure(explicit)).thenNothing();
  });

  it('the same protocol with its keys in another order is no change', () => {
    const reordered = JSON.parse(JSON.stringify({ rules: DEFAULT_PROTOCOL.rules.map((r) => ({ steps: r.steps.map((s) => ({ purpose: s.purpose, timing: s.timing, id: s.id, ...(s.when ? { when: s.when } : {}), ...(s.repeatEveryMonths ? { repeatEveryMonths: s.repeatEveryMonths } : {}) })), procedures: r.procedures, id: r.id })) }));
    clinicSpec([DEFAULTED]).when(configure(reordered)).thenNothing();
  });

  it('a clinic’s state folds the sections it was given', () => {
    const state = [DEFAULTED, { type: 'ClinicConfigured', data: { ...DEFAULTED.data, protocol: { version: 2, rules: DEFAULT_PROTOCOL.rules, prospect: shorterProspect } } } as ClinicConfigured].reduce(evolveClinic, initialClinicState());
    expect(state.protocol.prospect?.stopAfterRefusals).toBe(5);
  });

  it('names every problem in the sections', () => {
    const broken = {
      rules: [{ id: 'r', procedures: ['*'], steps: [{ id: 'a', timing: { kind: 'urgent', afterMinutes: 5 }, repeatEveryMonths: 12, purpose: 'x' }] }],
      missedAppointment: { id: 'm', step: { id: 's', timing: { kind: 'urgent' }, purpose: 'x' } },
      greeting: { id: 'g', step: { id: 's', timing: { kind: 'day_window', afterDays: 0 }, purpose: 'x', when: 'not_restored' } },
      prospect: { id: 'p', calls: [], escalation: { id: 'e', timing: { kind: 'next_window', afterHours: 5, withinHours: 2 }, purpose: 'x' }, stopAfterRefusals: 0 },
    } as unknown as Omit<Protocol, 'version'>;
    const refusal = clinicSpec([DEFAULTED]).when(configure(broken)).thenRefuses('protocol_invalid', 'rule');
    for (const problem of [
      'rule r, step a: repeatEveryMonths needs a day_window timing',
      'missedAppointment m, step s: afterMinutes must be a whole number from 0',
      'greeting g, step s: a condition (when) applies only to treatment rules',
      'prospect p lists no call',
      'prospect p, step e: withinHours must be a whole number no smaller than afterHours',
      'prospect p: stopAfterRefusals must be a whole number from 1 to 100',
    ]) {
      expect(refusal.message).toContain(problem);
    }
  });
});

describe('the default protocol against DOMAIN.md’s table (seed 000 §4, seed 002)', () => {
  const byId = (id: string) => DEFAULT_PROTOCOL.rules.find((r) => r.id === id)!;
  it('names every procedure of the table', () => {
    expect(byId('post_op_urgent').procedures).toEqual(['extraction', 'root_canal_filling', 'ortho_first_fitting', 'ortho_adjustment']);
    expect(byId('next_day').procedures).toEqual(['prosthesis_fitting', 'scaling']);
    expect(byId('within_24h').procedures).toEqual(['pulp_opening', 'canal_enlargement_reaction', 'infusion']);
    expect(byId('general').procedures).toEqual(['*']);
  });

  it('makes the implant’s last step recur yearly, and only that one', () => {
    const recurring = DEFAULT_PROTOCOL.rules.flatMap((r) => r.steps.filter((s) => s.repeatEveryMonths !== undefined).map((s) => [r.id, s.id, s.repeatEveryMonths]));
    expect(recurring).toEqual([['implant', 'yearly', 12]]);
  });

  it('has the three prospect calls, a senior doctor’s escalation and the seven-refusal limit', () => {
    expect(DEFAULT_PROTOCOL.prospect!.calls.map((c) => c.id)).toEqual(['call_1', 'call_2', 'call_3']);
    expect(DEFAULT_PROTOCOL.prospect!.stopAfterRefusals).toBe(7);
    expect(DEFAULT_PROTOCOL.missedAppointment!.step.timing).toEqual({ kind: 'urgent', afterMinutes: 0 });
  });

  it('passes its own validation, sections included', () => {
    expect(protocolProblems(DEFAULT_PROTOCOL)).toEqual([]);
  });
});
