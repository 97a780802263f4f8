import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RunningApp, startApp } from '../support/in-process-app';

/**
 * Erasure is crypto-shredding for the log; the read models held the same names and phones in the
 * clear. Once POST /v1/patients/:id/erasure has answered, no file in DATA_DIR — the databases,
 * their -wal files, anything — may still hold the patient's name, phone or a referred friend's name.
 */
const NAME = '王小明测试';
const PHONE = '+86 139 1234 5678';
const FRIEND = '李秘密朋友';
const FRIEND_PHONE = '+86 137 8765 4321';
const CORRECTED_PHONE = '+86 136 5555 0101';

function filesHolding(dir: string, needles: string[]): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (!statSync(path).isFile()) continue;
    const bytes = readFileSync(path);
    for (const needle of needles) if (bytes.includes(Buffer.from(needle, 'utf8'))) found.push(`${name}: ${needle}`);
  }
  return found;
}

describe('erasure leaves no plaintext in DATA_DIR', () => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startApp({ now: '2026-11-24T03:00:00Z' });
  });
  afterAll(() => running.close());

  it('after the erasure is acknowledged, no file holds the name, phone or the referred friend', async () => {
    const { api } = running;
    expect((await api.put('/v1/clinics/c1', { timeZone: 'Asia/Shanghai', callWindows: ['10:30', '16:00'] })).status).toBe(201);
    const treated = await api.post('/v1/treatments', {
      treatmentId: 't1',
      patientId: 'p1',
      clinicId: 'c1',
      doctorId: 'dr-li',
      procedure: 'extraction',
      completedAt: '2026-11-24T01:00:00Z',
      patient: { name: NAME, phone: PHONE },
    });
    expect(treated.status).toBe(201);
    const referral = await api.post('/v1/referrals', { patientId: 'p1', callerId: 'nurse-zhang', referred: { name: FRIEND, phone: FRIEND_PHONE, relation: 'friend' } });
    expect(referral.status).toBe(201);
    // A phone corrected after a wrong number is sealed like the first (issue 15 item 9).
    expect((await api.post('/v1/patients/p1/personal-details', { phone: CORRECTED_PHONE, reason: 'the first number was wrong' })).status).toBe(201);
    // Read the queue and the timeline, so the read models surely hold the names.
    const queue = await api.get(`/v1/clinics/c1/queue?at=2026-11-24T04:00:00Z&minPosition=${referral.headers.get('x-rapport-position')}`);
    expect(JSON.stringify(queue.body)).toContain(NAME);
    const corrected = await api.get(`/v1/clinics/c1/queue?at=2026-11-24T04:00:00Z&minPosition=${Number(referral.headers.get('x-rapport-position')) + 1}`);
    expect(JSON.stringify(corrected.body)).toContain(CORRECTED_PHONE);
    expect(filesHolding(running.dataDir, [NAME]).length).toBeGreaterThan(0);

    const erased = await api.post('/v1/patients/p1/erasure', { reason: 'the patient asked to be forgotten' });
    expect(erased.status).toBe(201);
    expect(filesHolding(running.dataDir, [NAME, PHONE, FRIEND, FRIEND_PHONE, CORRECTED_PHONE])).toEqual([]);
    // And the queue still shows the patient's follow-ups, without the name.
    const after = await api.get(`/v1/clinics/c1/queue?at=2026-11-24T04:00:00Z`);
    expect(after.status).toBe(200);
    expect(JSON.stringify(after.body)).not.toContain(NAME);
    expect(after.body.items.some((i: { patientId: string }) => i.patientId === 'p1')).toBe(true);
  });
});
