import type { Kysely } from 'kysely';
import type { ReadModelDb } from '../read-store/read-model-db';
import { epochMs } from '../runtime/instants';
import type { ProjectedEvent, Projection, ReadTx } from '../runtime/projection';

/** Referrals and what became of them, for the referrals report: asked → booked → visited. */
export const referralsProjection: Projection = {
  name: 'referrals',
  version: 1,
  tables: ['report_referrals', 'report_referral_bookings'],

  async createTables(db: Kysely<ReadModelDb>) {
    await db.schema
      .createTable('report_referrals')
      .ifNotExists()
      .addColumn('referral_id', 'text', (c) => c.primaryKey())
      .addColumn('clinic_id', 'text', (c) => c.notNull())
      .addColumn('referrer_id', 'text', (c) => c.notNull())
      .addColumn('requested_ms', 'bigint', (c) => c.notNull())
      .addColumn('appointment_id', 'text')
      .addColumn('referred_patient_id', 'text')
      .addColumn('booked_ms', 'bigint')
      .addColumn('attended_ms', 'bigint')
      .execute();
    await db.schema.createIndex('report_referrals_by_time').ifNotExists().on('report_referrals').columns(['clinic_id', 'requested_ms']).execute();
    await db.schema
      .createTable('report_referral_bookings')
      .ifNotExists()
      .addColumn('appointment_id', 'text', (c) => c.primaryKey())
      .addColumn('referral_id', 'text', (c) => c.notNull())
      .execute();
  },

  async apply(event: ProjectedEvent, tx: ReadTx) {
    switch (event.type) {
      case 'ReferralRequested': {
        const d = event.data;
        await tx
          .insertInto('report_referrals')
          .values({ referral_id: d.referralId, clinic_id: d.clinicId, referrer_id: d.patientId, requested_ms: event.recordedAtMs, appointment_id: null, referred_patient_id: null, booked_ms: null, attended_ms: null })
          .onConflict((oc) => oc.column('referral_id').doNothing())
          .execute();
        return;
      }
      case 'AppointmentBooked': {
        const d = event.data;
        if (!d.referralId || !d.referrerPatientId) return;
        await tx.insertInto('report_referral_bookings').values({ appointment_id: d.appointmentId, referral_id: d.referralId }).onConflict((oc) => oc.column('appointment_id').doNothing()).execute();
        await tx
          .updateTable('report_referrals')
          .set({ appointment_id: d.appointmentId, referred_patient_id: d.patientId, booked_ms: event.recordedAtMs })
          .where('referral_id', '=', d.referralId)
          .where('appointment_id', 'is', null)
          .execute();
        return;
      }
      case 'AppointmentAttended': {
        const booking = await tx.selectFrom('report_referral_bookings').select('referral_id').where('appointment_id', '=', event.data.appointmentId).executeTakeFirst();
        if (!booking) return;
        await tx.updateTable('report_referrals').set({ attended_ms: epochMs(event.data.at, 'at') }).where('referral_id', '=', booking.referral_id).where('attended_ms', 'is', null).execute();
        return;
      }
      default:
        return;
    }
  },
};
