import { randomUUID } from 'node:crypto';
import { Temporal } from 'temporal-polyfill';
import type { CommandContext } from '../../apps/api/src/application/command-context';
import type { CommandPorts } from '../../apps/api/src/application/command-ports';
import { configureClinic } from '../../apps/api/src/application/clinics';
import { recordTreatment } from '../../apps/api/src/application/recording';
import { hashRequest } from '../../apps/api/src/http/request-context';
import { LOCAL_OPERATOR } from '@rapport/access';

export const BENCH_CLINIC = 'c1';
export const patientId = (i: number) => `p-${i}`;

/** What the HTTP layer builds for a request (requestContext), without the HTTP request. */
export function commandContext(method: string, path: string, body: unknown): CommandContext {
  const commandId = randomUUID();
  return { commandId, correlationId: commandId, principal: LOCAL_OPERATOR, requestHash: hashRequest(method, path, body) };
}

/** A configured clinic and `patients` patients, each with one completed treatment (and its follow-ups). */
export async function seedPatients(ports: CommandPorts, patients: number, now: Temporal.Instant, onDone: (done: number) => void): Promise<void> {
  const clinic = { clinicId: BENCH_CLINIC, timeZone: 'Asia/Shanghai', callWindows: ['10:30', '16:00'] };
  await configureClinic(ports, clinic, commandContext('PUT', `/v1/clinics/${BENCH_CLINIC}`, clinic));
  const completedAt = now.subtract({ hours: 2 }).toString();
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let i = next++; i < patients; i = next++) {
        const data = { treatmentId: `t-${i}`, patientId: patientId(i), clinicId: BENCH_CLINIC, doctorId: 'dr-1', procedure: 'other', completedAt };
        await recordTreatment(ports, data, commandContext('POST', '/v1/treatments', data));
        onDone(++done);
      }
    }),
  );
}

/** The RecordCall body the bench sends: an unreached call, no follow-up, so each command appends one event. */
export function callBody(i: number, patients: number, startedAt: string) {
  return { patientId: patientId(i % patients), callerId: 'nurse-1', startedAt, outcome: 'no_answer' as const, durationSeconds: 30, notes: `bench call ${i}` };
}
