import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { MAX_TOKEN_LIFETIME_SECONDS } from '@rapport/access';
import { RunningApp, startApp } from '../support/in-process-app';

/** Tokens signed with the app's own local secret, with the claims an attacker would choose. */
async function forge(dataDir: string, claims: { sub: string; role: string; clinics: string[] }, times: { iat?: number; exp?: number }): Promise<string> {
  const secret = Buffer.from(readFileSync(join(dataDir, 'auth-secret'), 'utf8').trim(), 'utf8');
  const jwt = new SignJWT({ role: claims.role, clinics: claims.clinics }).setProtectedHeader({ alg: 'HS256' }).setSubject(claims.sub).setIssuer('rapport');
  if (times.iat !== undefined) jwt.setIssuedAt(times.iat);
  if (times.exp !== undefined) jwt.setExpirationTime(times.exp);
  return jwt.sign(secret);
}

describe('tokens: bounded lifetime, no future issue time, no self-reading for systems', () => {
  let running: RunningApp;
  /** The app's clock, not the machine's: the app checks iat and exp against its own now. */
  const now = () => running.clock.epochSeconds();
  const admin = { sub: 'mallory', role: 'admin', clinics: ['*'] };

  beforeAll(async () => {
    running = await startApp();
  });
  afterAll(() => running.close());

  const status = async (token: string, path = '/v1/events?limit=1') => (await running.api.get(path, { authorization: `Bearer ${token}` })).status;

  it('refuses a token valid until the year 9999', async () => {
    expect(await status(await forge(running.dataDir, admin, { iat: now(), exp: 253402300799 }))).toBe(401);
  });

  it('refuses a token whose lifetime is longer than the cap, even if it was issued long ago', async () => {
    expect(await status(await forge(running.dataDir, admin, { iat: now() - 30 * 86400, exp: now() + 3600 }))).toBe(401);
  });

  it('refuses a token issued in the future beyond clock skew; without iat, the lifetime still counts from now', async () => {
    expect(await status(await forge(running.dataDir, admin, { iat: now() + 3600, exp: now() + 7200 }))).toBe(401);
    expect(await status(await forge(running.dataDir, admin, { exp: now() + 3600 }))).toBe(200);
    expect(await status(await forge(running.dataDir, admin, { exp: now() + MAX_TOKEN_LIFETIME_SECONDS + 3600 }))).toBe(401);
  });

  it('takes a token within the cap and a little clock skew', async () => {
    expect(await status(await forge(running.dataDir, admin, { iat: now() + 20, exp: now() + 8 * 3600 }))).toBe(200);
    expect(await status(await forge(running.dataDir, admin, { iat: now(), exp: now() + MAX_TOKEN_LIFETIME_SECONDS }))).toBe(200);
  });

  it('an integration token whose subject is a doctor id does not read that doctor\'s queue or a caller\'s metrics', async () => {
    const integration = await forge(running.dataDir, { sub: 'dr-li', role: 'integration', clinics: ['*'] }, { iat: now(), exp: now() + 3600 });
    expect(await status(integration, '/v1/doctors/dr-li/queue')).toBe(403);
    const asCaller = await forge(running.dataDir, { sub: 'nurse-zhang', role: 'integration', clinics: ['*'] }, { iat: now(), exp: now() + 3600 });
    expect(await status(asCaller, '/v1/callers/nurse-zhang/metrics')).toBe(403);
    // The doctor themself still does.
    const doctor = await forge(running.dataDir, { sub: 'dr-li', role: 'doctor', clinics: ['*'] }, { iat: now(), exp: now() + 3600 });
    expect(await status(doctor, '/v1/doctors/dr-li/queue')).toBe(200);
  });
});

describe('bounds on time and text: 400 naming the field, nothing appended', () => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startApp({ now: '2026-11-24T03:00:00Z' });
    expect((await running.api.put('/v1/clinics/c1', { timeZone: 'Asia/Shanghai', callWindows: ['10:30', '16:00'] })).status).toBe(201);
    const treatment = { treatmentId: 't1', patientId: 'p1', clinicId: 'c1', doctorId: 'dr-li', procedure: 'scaling', completedAt: '2026-11-23T06:00:00Z' };
    expect((await running.api.post('/v1/treatments', treatment)).status).toBe(201);
  });
  afterAll(() => running.close());

  const treatment = (completedAt: string) => ({ treatmentId: 't2', patientId: 'p1', clinicId: 'c1', doctorId: 'dr-li', procedure: 'scaling', completedAt });

  it.each([
    ['year −271821', '-271821-04-20T00:00:00Z'],
    ['year +275760', '+275760-09-13T00:00:00Z'],
    ['1899', '1899-12-31T23:59:59Z'],
    ['2200', '2200-01-01T00:00:00Z'],
  ])('refuses an instant in %s', async (_what, completedAt) => {
    const before = await running.api.headPosition();
    const response = await running.api.post('/v1/treatments', treatment(completedAt));
    expect(response.status).toBe(400);
    expect(response.body.details.map((d: { field: string }) => d.field)).toEqual(['completedAt']);
    expect(await running.api.headPosition()).toBe(before);
  });

  it('refuses the same call window twice', async () => {
    const response = await running.api.put('/v1/clinics/c2', { timeZone: 'Asia/Shanghai', callWindows: ['10:30', '10:30'] });
    expect(response.status).toBe(400);
    expect(response.body.details.map((d: { field: string }) => d.field)).toEqual(['callWindows']);
  });

  it.each([
    ['an objection topic', '/v1/objections', { patientId: 'p1', callerId: 'nurse-zhang', kind: 'trivial', topic: ' \t ', method: 'inform', resolved: true }, 'topic'],
    ['an erasure reason', '/v1/patients/p1/erasure', { reason: '   ' }, 'reason'],
    ['a late entry reason', '/v1/calls', { patientId: 'p1', callerId: 'nurse-zhang', startedAt: '2026-11-20T02:00:00Z', outcome: 'no_answer', lateEntryReason: '\n' }, 'lateEntryReason'],
  ])('refuses %s of only white space', async (_what, path, body, field) => {
    const before = await running.api.headPosition();
    const response = await running.api.post(path, body);
    expect(response.status).toBe(400);
    expect(response.body.details.map((d: { field: string }) => d.field)).toEqual([field]);
    expect(await running.api.headPosition()).toBe(before);
  });

  it('takes 1900 as an instant, and leaves 2199 to the domain (a treatment in the future is a 422, not bad input)', async () => {
    expect((await running.api.post('/v1/treatments', { ...treatment('1900-01-01T00:00:00Z'), treatmentId: 't3' })).status).toBe(201);
    const future = await running.api.post('/v1/treatments', { ...treatment('2199-12-31T23:59:59Z'), treatmentId: 't4' });
    expect(future.status).toBe(422);
  });
});
