import { RunningApp, startApp } from '../support/in-process-app';

/** GET /metrics: Prometheus text for the scraper, no token, no patient data. */
describe('GET /metrics', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startApp();
  });
  afterAll(async () => running.close());

  it('reports the log head, each projection and the requests answered, without a token', async () => {
    const { api } = running;
    await api.put('/v1/clinics/c1', { timeZone: 'Asia/Shanghai', callWindows: ['10:30', '16:00'] });
    await api.post('/v1/treatments', { treatmentId: 't1', patientId: 'p1', clinicId: 'c1', doctorId: 'd1', procedure: 'scaling', completedAt: '2026-11-23T06:00:00Z', patient: { name: '王伟', phone: '+86 138 0013 8000' } });
    const head = await api.headPosition();
    const response = await fetch(`${running.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toContain(`rapport_event_store_head_position ${head}`);
    expect(text).toMatch(/rapport_projection_lag_events\{projection="call-queue"\} \d+/);
    expect(text).toContain('rapport_http_requests_total{method="POST",route="/v1/treatments",status="201"} 1');
    expect(text).toContain('rapport_http_requests_total{method="PUT",route="/v1/clinics/:clinicId",status="201"} 1');
    expect(text).not.toContain('王伟');
    expect(text).not.toContain('p1');
  });
});
