import { projected } from '../../test/projection-spec';
import { RowBatch } from './row-batch';
import { put, Projection, tableSpec } from './row-projection';

/** A projection that writes whatever row the event carries, to see what the batch lets through. */
const writer: Projection = {
  name: 'writer',
  version: 1,
  tables: ['report_referral_bookings'],
  schema: [tableSpec({ name: 'report_referral_bookings', columns: { appointment_id: 'text', referral_id: 'text' }, key: ['appointment_id'] })],
  project: (event) => [put('report_referral_bookings', (event.data as unknown as { row: never }).row)],
};
const given = (...rows: object[]) => projected(rows.map((row) => ({ type: 'ClinicConfigured', data: { clinicId: 'c', row } }) as never));

describe('a row batch', () => {
  it.each([
    [{ appointment_id: 'a1' }, /without referral_id/],
    [{ appointment_id: 'a1', referral_id: null }, /referral_id cannot be null/],
    [{ appointment_id: 'a1', referral_id: 7 }, /referral_id must be text/],
  ])('stops at the event whose row the database would refuse: %j', async (row, message) => {
    const failure = await new RowBatch(writer.schema).apply(writer, given({ appointment_id: 'a0', referral_id: 'r0' }, row));
    expect(failure && { index: failure.index, message: (failure.error as Error).message }).toEqual({ index: 1, message: expect.stringMatching(message) });
  });

  it('keeps the last change of a row and what was stored before it', async () => {
    const batch = new RowBatch(writer.schema);
    expect(await batch.apply(writer, given({ appointment_id: 'a1', referral_id: 'r1' }, { appointment_id: 'a1', referral_id: 'r2' }))).toBeUndefined();
    expect([...batch.changes().get('report_referral_bookings')!.values()]).toEqual([{ key: expect.objectContaining({ appointment_id: 'a1' }), row: { appointment_id: 'a1', referral_id: 'r2' }, before: undefined }]);
  });
});
