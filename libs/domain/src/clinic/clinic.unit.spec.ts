import { DeciderSpecification } from '../../test/decider-specification';
import type { ClinicConfigured, ClinicEvent } from '../events';
import { DEFAULT_PROTOCOL } from '../protocol/default-protocol';
import type { ProtocolRule } from '../protocol/protocol';
import { clinicDecider, ConfigureClinic, decideClinic, evolveClinic, initialClinicState } from './clinic';
import type { RegisterStaffMember } from './staff';

const spec = DeciderSpecification.for(clinicDecider);

const configure = (data: Partial<ConfigureClinic['data']> = {}): ConfigureClinic => ({
  type: 'ConfigureClinic',
  data: { clinicId: 'c1', name: 'Smile Dental', timeZone: 'Asia/Shanghai', callWindows: ['10:30', '16:00'], ...data },
});

const configured = (data: Partial<ClinicConfigured['data']> = {}): ClinicConfigured => ({
  type: 'ClinicConfigured',
  data: {
    clinicId: 'c1',
    name: 'Smile Dental',
    timeZone: 'Asia/Shanghai',
    callWindows: ['10:30', '16:00'],
    maxAttempts: 3,
    protocol: DEFAULT_PROTOCOL,
    ...data,
  },
});

/** A clinic's own protocol: every treatment gets one call two days later. */
const OWN_RULES: ProtocolRule[] = [
  { id: 'own', procedures: ['*'], steps: [{ id: 'day_2', timing: { kind: 'day_window', afterDays: 2 }, purpose: 'Day 2 check' }] },
];
const OTHER_RULES: ProtocolRule[] = [
  { id: 'own', procedures: ['*'], steps: [{ id: 'day_4', timing: { kind: 'day_window', afterDays: 4 }, purpose: 'Day 4 check' }] },
];

describe('ConfigureClinic', () => {
  it('configures a new clinic with the default protocol (version 1) and 3 attempts', () => {
    spec([]).when(configure()).then([configured()]);
  });

  it('sorts the call windows and drops duplicates', () => {
    spec([]).when(configure({ callWindows: ['16:00', '10:30', '16:00'] })).then([configured({ callWindows: ['10:30', '16:00'] })]);
  });

  it('records the maxAttempts it is given', () => {
    spec([]).when(configure({ maxAttempts: 5 })).then([configured({ maxAttempts: 5 })]);
  });

  it('records nothing when the same configuration is sent again', () => {
    spec([configured()]).when(configure()).thenNothing();
  });

  it('records nothing when the same windows come in another order', () => {
    spec([configured()]).when(configure({ callWindows: ['16:00', '10:30'] })).thenNothing();
  });

  it('records nothing when an omitted name and maxAttempts leave them as they were', () => {
    spec([configured({ maxAttempts: 4 })]).when(configure({ name: undefined })).thenNothing();
  });

  it('records a new configuration when the call windows change, keeping name and maxAttempts', () => {
    spec([configured({ maxAttempts: 4 })])
      .when(configure({ name: undefined, callWindows: ['09:00', '14:30', '19:00'] }))
      .then([configured({ maxAttempts: 4, callWindows: ['09:00', '14:30', '19:00'] })]);
  });

  it('records a new configuration when the time zone changes', () => {
    spec([configured()]).when(configure({ timeZone: 'Europe/London' })).then([configured({ timeZone: 'Europe/London' })]);
  });

  it('records a new configuration when maxAttempts changes', () => {
    spec([configured()]).when(configure({ maxAttempts: 2 })).then([configured({ maxAttempts: 2 })]);
  });

  describe('refuses a time zone that is not an IANA zone', () => {
    it.each(['Mars/Olympus_Mons', 'Asia/Shangai', '', 'GMT+25'])('%j', (timeZone) => {
      const refusal = spec([]).when(configure({ timeZone })).thenRefuses('time_zone_unknown', 'rule');
      expect(refusal.message).toContain(`timeZone ${timeZone} is not an IANA time zone`);
    });

    // Temporal also parses these as time zones; Intl (and so any report in the clinic's zone) does not.
    it.each(['+08:00', '2026-11-23T06:00:00Z', '2026-11-23T14:00:00+08:00[Asia/Shanghai]'])('%j', (timeZone) => {
      spec([]).when(configure({ timeZone })).thenRefuses('time_zone_unknown', 'rule');
    });

    it('also for a clinic that is already configured, which then keeps its zone', () => {
      spec([configured()]).when(configure({ timeZone: 'Nowhere/Special' })).thenRefuses('time_zone_unknown');
    });
  });

  it.each(['America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kolkata', 'UTC'])('accepts the zone %s', (timeZone) => {
    spec([]).when(configure({ timeZone })).then([configured({ timeZone })]);
  });

  describe('refuses bad call windows', () => {
    it.each([[[]], [['25:00']], [['9:30']], [['10:30:00']], [['10:60']], [['10:30', 'noon']], [['24:00']]])('%j', (callWindows) => {
      const refusal = spec([]).when(configure({ callWindows })).thenRefuses('call_windows_invalid', 'rule');
      expect(refusal.message).toMatch(/HH:MM/);
    });
  });

  it('accepts the edges of the day as windows', () => {
    spec([]).when(configure({ callWindows: ['23:59', '00:00'] })).then([configured({ callWindows: ['00:00', '23:59'] })]);
  });

  describe('protocol override', () => {
    it('gives a first override version 2 (the default is version 1)', () => {
      spec([]).when(configure({ protocol: { rules: OWN_RULES } })).then([configured({ protocol: { version: 2, rules: OWN_RULES } })]);
    });

    it('gives a changed override the next version after the current one', () => {
      spec([configured({ protocol: { version: 2, rules: OWN_RULES } })])
        .when(configure({ protocol: { rules: OTHER_RULES } }))
        .then([configured({ protocol: { version: 3, rules: OTHER_RULES } })]);
    });

    it('ignores a version the client sends: the clinic assigns it', () => {
      spec([configured()])
        .when(configure({ protocol: { version: 42, rules: OWN_RULES } }))
        .then([configured({ protocol: { version: 2, rules: OWN_RULES } })]);
    });

    it('keeps the version of an unchanged override when something else changes', () => {
      spec([configured({ protocol: { version: 2, rules: OWN_RULES } })])
        .when(configure({ callWindows: ['09:00'], protocol: { rules: OWN_RULES } }))
        .then([configured({ callWindows: ['09:00'], protocol: { version: 2, rules: OWN_RULES } })]);
    });

    it('records nothing for the same override again', () => {
      spec([configured({ protocol: { version: 2, rules: OWN_RULES } })]).when(configure({ protocol: { rules: OWN_RULES } })).thenNothing();
    });

    it('keeps the current protocol when the override is omitted', () => {
      spec([configured({ protocol: { version: 2, rules: OWN_RULES } })])
        .when(configure({ maxAttempts: 5 }))
        .then([configured({ maxAttempts: 5, protocol: { version: 2, rules: OWN_RULES } })]);
    });

    it('keeps version 1 when the override repeats the default rules', () => {
      spec([]).when(configure({ protocol: { rules: DEFAULT_PROTOCOL.rules } })).then([configured()]);
    });

    it('refuses an invalid protocol and names every problem', () => {
      const rules = [
        { id: 'a', procedures: [], steps: [{ id: 's', timing: { kind: 'urgent', afterMinutes: -5 }, purpose: 'x' }] },
        { id: 'a', procedures: ['*'], steps: [] },
        {
          id: 'b',
          procedures: ['scaling'],
          steps: [
            { id: 'x', timing: { kind: 'day_window' }, purpose: 'x' },
            { id: 'x', timing: { kind: 'next_window', afterHours: 1.5 }, purpose: 'x' },
            { id: 'y', timing: { kind: 'someday' }, purpose: 'x' },
          ],
        },
      ] as unknown as ProtocolRule[];
      const refusal = spec([configured()]).when(configure({ protocol: { rules } })).thenRefuses('protocol_invalid', 'rule');
      for (const problem of [
        'rule a names no procedure',
        'rule a, step s: afterMinutes must be a whole number from 0',
        'rule id a appears twice',
        'rule a has no step',
        'rule b, step x: give afterDays or afterMonths',
        'rule b: step id x appears twice',
        'rule b, step x: afterHours must be a whole number from 0',
        'rule b, step y: timing.kind must be urgent, next_window or day_window',
      ]) {
        expect(refusal.message).toContain(problem);
      }
    });

    it('refuses a protocol without rules', () => {
      const refusal = spec([]).when(configure({ protocol: { rules: [] } })).thenRefuses('protocol_invalid');
      expect(refusal.message).toContain('at least one rule');
    });

    it('refuses an urgent or next_window step without its number (it could never be scheduled)', () => {
      const rules = [
        {
          id: 'r',
          procedures: ['*'],
          steps: [
            { id: 'now', timing: { kind: 'urgent' }, purpose: 'x' },
            { id: 'soon', timing: { kind: 'next_window' }, purpose: 'x' },
          ],
        },
      ] as unknown as ProtocolRule[];
      const refusal = spec([]).when(configure({ protocol: { rules } })).thenRefuses('protocol_invalid');
      expect(refusal.message).toContain('rule r, step now: afterMinutes must be a whole number from 0');
      expect(refusal.message).toContain('rule r, step soon: afterHours must be a whole number from 0');
    });
  });
});

describe('the staff directory (issue 16 item 6)', () => {
  const configured = [{ type: 'ClinicConfigured', data: { clinicId: 'c1', timeZone: 'Asia/Shanghai', callWindows: ['10:30'], maxAttempts: 3, protocol: DEFAULT_PROTOCOL } }] as ClinicEvent[];
  const put = (data: Partial<RegisterStaffMember['data']> = {}): RegisterStaffMember => ({ type: 'RegisterStaffMember', data: { clinicId: 'c1', staffId: 'nurse-zhang', name: '张护士', role: 'caller', ...data } });
  const fold = (events: ClinicEvent[]) => events.reduce(evolveClinic, initialClinicState());

  it('registers a new id, records a change of a known one, and nothing for the same entry again', () => {
    const registered = decideClinic(put(), fold(configured));
    expect(registered).toEqual([{ type: 'StaffMemberRegistered', data: { clinicId: 'c1', staffId: 'nurse-zhang', name: '张护士', role: 'caller', active: true } }]);
    const state = fold([...configured, ...registered]);
    expect(state.staff.get('nurse-zhang')).toEqual({ name: '张护士', role: 'caller', active: true });
    expect(decideClinic(put(), state)).toEqual([]);
    expect(decideClinic(put({ active: false }), state)).toEqual([{ type: 'StaffMemberChanged', data: { clinicId: 'c1', staffId: 'nurse-zhang', name: '张护士', role: 'caller', active: false } }]);
  });

  it('keeps the directory when the clinic is configured again', () => {
    const state = fold([...configured, ...decideClinic(put(), fold(configured)), ...configured]);
    expect([...state.staff.keys()]).toEqual(['nurse-zhang']);
  });

  it('refuses an unconfigured clinic, a blank name and an unknown role', () => {
    expect(() => decideClinic(put(), initialClinicState())).toThrow(expect.objectContaining({ rule: 'unknown_clinic', kind: 'not_found' }));
    expect(() => decideClinic(put({ name: '  ' }), fold(configured))).toThrow(expect.objectContaining({ rule: 'name_blank' }));
    expect(() => decideClinic(put({ role: 'janitor' as never }), fold(configured))).toThrow(expect.objectContaining({ rule: 'role_unknown' }));
  });
});
