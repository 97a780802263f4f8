import { MalformedEventError } from '@rapport/domain';
import { openSqliteEventStore, SqliteEventStore } from '@rapport/event-store';
import { makeTempDir } from '../../../test/support/temp-dir';
import { AuditedEventStore } from './audited-event-store';
import { openSqliteKeyVault, SqliteKeyVault } from './key-vault';
import { PersonalDataSealer } from './personal-data';

/** The log cannot be rewritten, so a malformed event is refused before it is chained in. */
describe('the audited store checks every event against its schema before appending', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let inner: SqliteEventStore;
  let vault: SqliteKeyVault;
  let store: AuditedEventStore;

  beforeEach(() => {
    temp = makeTempDir();
    inner = openSqliteEventStore(temp.path, {});
    vault = openSqliteKeyVault(temp.path);
    store = new AuditedEventStore(inner, new PersonalDataSealer(vault));
  });
  afterEach(async () => {
    await store.close();
    await vault.close();
    temp.remove();
  });

  const closed = (data: Record<string, unknown>) => ({ eventId: 'e1', type: 'FollowUpClosed', data, metadata: {} });
  const whole = { patientId: 'p1', clinicId: 'c1', followUpId: 'p1.fu1', reason: 'completed', attempts: 1, callId: 'p1.call2' };

  it.each([
    ['a missing id (the "constructor" follow-up bug)', { ...whole, followUpId: undefined }, /followUpId is missing/],
    ['attempts null', { ...whole, attempts: null }, /attempts must be a whole number/],
    ['an unknown reason', { ...whole, reason: 'bored' }, /reason must be one of/],
    ['a field the type does not have', { ...whole, extra: 1 }, /extra is not a field/],
  ])('refuses %s and appends nothing, in this event or the batch', async (_what, data, problem) => {
    const good = { eventId: 'e0', type: 'AppointmentMissed', data: { patientId: 'p1', clinicId: 'c1', appointmentId: 'p1.apt1', at: '2026-11-24T02:00:00Z' }, metadata: {} };
    const attempt = store.append('patient-p1', [good, closed(data)], { expectedRevision: 'no_stream' });
    await expect(attempt).rejects.toThrow(MalformedEventError);
    await expect(store.append('patient-p1', [closed(data)], { expectedRevision: 'no_stream' })).rejects.toThrow(problem);
    expect(await inner.headPosition()).toBe(0);
  });

  it('refuses an event type the domain does not have', async () => {
    await expect(store.append('patient-p1', [{ eventId: 'e1', type: 'Nonsense', data: {}, metadata: {} }], { expectedRevision: 'any' })).rejects.toThrow(/unknown event type/);
    expect(await inner.headPosition()).toBe(0);
  });

  it('appends a whole event', async () => {
    await store.append('patient-p1', [closed(whole)], { expectedRevision: 'no_stream' });
    expect(await inner.headPosition()).toBe(1);
  });
});
