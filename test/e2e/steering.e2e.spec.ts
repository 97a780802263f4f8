import { clinicWithPatient } from '../support/fixtures';
import { RunningApp, startApp } from '../support/in-process-app';

/**
 * Issue 15 item 8: staff steer one patient — add a follow-up, move one, cancel one, each with the
 * reason and the actor — and set the next contact on a reached call; the queue follows.
 */
describe('steering one patient over HTTP', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startApp({ now: '2026-11-23T07:00:00Z' });
    await clinicWithPatient(running.api);
  });
  afterAll(async () => running.close());

  const queue = async (at: string, position: string | null) => (await running.api.get(`/v1/clinics/c1/queue?at=${at}&limit=100&minPosition=${position}`)).body.items as { followUpId: string; dueAt: string; kind: string; purpose: string }[];

  it('adds, moves and cancels, and the queue follows', async () => {
    const { api } = running;
    const addedResponse = await api.post('/v1/patients/p1/follow-ups', { purpose: 'Check the crown after a week of meals', dueAt: '2026-11-25T08:00:00Z', note: 'she asked' });
    expect(addedResponse.status).toBe(201);
    const id = addedResponse.body.followUpId as string;
    expect(addedResponse.body).toMatchObject({ patientId: 'p1', status: 'open', dueAt: '2026-11-25T08:00:00Z' });
    expect((await queue('2026-11-25T08:10:00Z', addedResponse.headers.get('x-rapport-position'))).find((i) => i.followUpId === id)).toMatchObject({ kind: 'added', purpose: 'Check the crown after a week of meals' });

    const moved = await api.post(`/v1/follow-ups/${id}/move`, { dueAt: '2026-11-26T02:30:00Z', reason: 'in a meeting on Wednesday' });
    expect([moved.status, moved.body.dueAt]).toEqual([201, '2026-11-26T02:30:00Z']);
    expect((await queue('2026-11-25T08:10:00Z', moved.headers.get('x-rapport-position'))).some((i) => i.followUpId === id)).toBe(false);
    expect((await queue('2026-11-26T02:40:00Z', moved.headers.get('x-rapport-position'))).find((i) => i.followUpId === id)).toMatchObject({ dueAt: '2026-11-26T02:30:00Z' });

    const cancelled = await api.post(`/v1/follow-ups/${id}/cancel`, { reason: 'she came in on Tuesday' });
    expect([cancelled.status, cancelled.body.status]).toEqual([201, 'closed']);
    expect((await queue('2026-11-26T02:40:00Z', cancelled.headers.get('x-rapport-position'))).some((i) => i.followUpId === id)).toBe(false);
    const again = await api.post(`/v1/follow-ups/${id}/cancel`, { reason: 'twice' });
    expect([again.status, again.body.rule]).toEqual([422, 'follow_up_closed']);

    const timeline = (await api.get(`/v1/patients/p1/timeline?minPosition=${cancelled.headers.get('x-rapport-position')}`)).body.entries as { type: string; summary: string }[];
    expect(timeline.filter((e) => e.type.startsWith('FollowUp') && e.summary.includes(id)).map((e) => e.type)).toEqual(['FollowUpAdded', 'FollowUpMoved', 'FollowUpCancelled']);
  });

  it('refuses a time in the past, a blank reason and a follow-up id the server did not make', async () => {
    const { api } = running;
    const past = await api.post('/v1/patients/p1/follow-ups', { purpose: 'x', dueAt: '2026-11-01T00:00:00Z' });
    expect([past.status, past.body.rule]).toEqual([422, 'due_in_past']);
    const blank = await api.post('/v1/follow-ups/p1.fu2/move', { dueAt: '2026-11-30T02:30:00Z', reason: '   ' });
    expect([blank.status, blank.body.details.map((d: { field: string }) => d.field)]).toEqual([400, ['reason']]);
    const forged = await api.post('/v1/follow-ups/constructor/cancel', { reason: 'x' });
    expect([forged.status, forged.body.details.map((d: { field: string }) => d.field)]).toEqual([400, ['followUpId']]);
  });

  it('sets the next contact on a reached call, and it lands in the queue at its time', async () => {
    const { api } = running;
    const call = await api.post('/v1/calls', { patientId: 'p1', callerId: 'nurse-zhang', followUpId: 'p1.fu1', startedAt: '2026-11-23T06:55:00Z', outcome: 'reached', nextContact: { at: '2026-12-01T08:00:00Z', purpose: 'Ask whether the swelling has gone' } });
    expect(call.status).toBe(201);
    const next = (await queue('2026-12-01T08:10:00Z', call.headers.get('x-rapport-position'))).find((i) => i.kind === 'added' && i.purpose === 'Ask whether the swelling has gone');
    expect(next).toMatchObject({ dueAt: '2026-12-01T08:00:00Z' });
    const unreached = await api.post('/v1/calls', { patientId: 'p1', callerId: 'nurse-zhang', startedAt: '2026-11-23T06:56:00Z', outcome: 'no_answer', nextContact: { at: '2026-12-01T08:00:00Z', purpose: 'x' } });
    expect([unreached.status, unreached.body.rule]).toEqual([422, 'next_contact_needs_conversation']);
  });
});
