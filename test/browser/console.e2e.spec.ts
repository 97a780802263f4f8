import { existsSync, readFileSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page, type Request } from 'playwright-core';
import { Temporal } from 'temporal-polyfill';
import { EVENT_STORE, EventStore } from '@rapport/event-store';
import { loadDemoMonth } from '../../apps/api/src/demo/demo-month';
import { RunningApp, startApp } from '../support/in-process-app';
import { CHROMIUM, checkScreen, csvLines, DESK, ensureScreenshots, eventsOf, newPage, PHONE, signInAs, STAFF } from './console-support';

/**
 * The console through a clinic's working day in a real browser (Debian's Chromium driven by
 * playwright-core), the browser in New York and the clinic in Shanghai: a caller's day (one save
 * per form, a failed part that saves nothing, a lost answer retried and a double click that
 * record one call), two callers on one patient (the claim shows live, the second is told and
 * nothing is lost), a phone, the lists outside the queue, a doctor's callback, an auditor who
 * cannot record, and the manager's range, reports and exports. axe runs on every screen at a desk
 * and on a phone, whose screenshots go to test-output/screenshots/.
 */
const available = existsSync(CHROMIUM);
if (!available) {
  const message = `BROWSER TESTS DID NOT RUN: no Chromium at ${CHROMIUM} (.ci/run installs Debian's chromium; or set CHROMIUM_PATH)`;
  if (process.env.REQUIRE_BROWSER === '1') throw new Error(message);
  process.stderr.write(`\n*** ${message} ***\n\n`); // stderr: Jest drops the console of a fully skipped suite
}
const describeInBrowser = available ? describe : describe.skip;

const ZONE = 'Asia/Shanghai';
const nameOf = (id: string) => STAFF.find((s) => s.staffId === id)!.name;
/** A wall-clock time of the clinic, as <input type="datetime-local"> takes it, and the instant it is. */
function clinicTime(daysFromToday: number, hour: number): { local: string; instant: string } {
  const date = Temporal.Now.plainDateISO(ZONE).add({ days: daysFromToday });
  const zoned = date.toZonedDateTime({ timeZone: ZONE, plainTime: Temporal.PlainTime.from({ hour }) });
  return { local: `${date.toString()}T${String(hour).padStart(2, '0')}:00`, instant: zoned.toInstant().toString() };
}

describeInBrowser('the console through a working day, in Chromium', () => {
  let running: RunningApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  /** The follow-up the caller's day worked, for the manager's export. */
  const worked: { patientId?: string; callId?: string; startedAt?: string } = {};

  beforeAll(async () => {
    running = await startApp({ now: 'live' });
    await loadDemoMonth(running.app.get<EventStore>(EVENT_STORE), { until: Temporal.Now.instant() });
    for (const s of STAFF) {
      expect((await running.api.put(`/v1/clinics/demo-clinic/staff/${s.staffId}`, { name: s.name, role: s.role })).status).toBe(201);
    }
    ensureScreenshots();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 120_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await running?.close();
  });

  async function open(viewport = DESK): Promise<Page> {
    const { context, page } = await newPage(browser, viewport);
    contexts.push(context);
    return page;
  }

  async function queueOf(callerId?: string) {
    const { body } = await running.api.get(`/v1/clinics/demo-clinic/queue?limit=500&minPosition=${await running.api.headPosition()}${callerId ? `&callerId=${callerId}` : ''}`);
    return body;
  }

  it('signs in by picking a person from the directory; free entry pre-fills nobody', async () => {
    const page = await open();
    await page.goto(`${running.url}/#/sign-in`);
    await page.waitForSelector('#staff-picker:not([hidden])');
    const options = await page.locator('#person option').allInnerTexts();
    for (const s of STAFF) expect(options.join(' ')).toContain(s.name);
    expect(await page.locator('#person optgroup').evaluateAll((groups) => groups.map((g) => g.getAttribute('label')))).toEqual(['回访员', '医生', '资深医生', '门诊经理', '审计']);
    // A doctor's one-click sign-in does not borrow a nurse's id: nothing is typed in, so it asks.
    await page.locator('details.fallback summary').click();
    expect(await page.locator('#user').inputValue()).toBe('');
    await page.click('button[data-role="doctor"]');
    expect(await page.locator('#user-error').innerText()).toContain('请先从名单中选择,或输入工号');
    expect(page.url()).toContain('#/sign-in');
    await checkScreen(page, '1-sign-in', '#staff-picker:not([hidden])');
  }, 60_000);

  it("works a caller's day: one request per save, a failed part saves nothing, a lost answer and a double click record one call", async () => {
    const page = await open();
    await signInAs(page, running, 'nurse-zhang');
    await page.waitForSelector('tr[data-follow-up]', { timeout: 30_000 });
    expect(await page.locator('h1').first().innerText()).toContain('今日回访');
    expect(await page.locator('#who').innerText()).toContain('张护士');
    // Names, not ids: the last caller of each row.
    const lastCalls = (await page.locator('.last-call').allInnerTexts()).join(' ');
    expect(lastCalls).toMatch(/李前台|王助理|张护士/);
    expect(lastCalls).not.toMatch(/desk-li|assistant-wang|nurse-zhang/);
    // Later today and search: the day's later calls have their own list; a name finds its row.
    const queue = await queueOf('nurse-zhang');
    const firstName: string = queue.items[0].patient.name;
    await page.fill('#queue-search', firstName);
    await page.waitForFunction((name) => [...(globalThis as any).document.querySelectorAll('tr[data-follow-up] .patient-name')].every((e: any) => e.textContent === name), firstName);
    expect(await page.locator('tr[data-follow-up]').count()).toBeGreaterThan(0);
    await page.click('#clear-filters');
    await page.selectOption('#filter-kind', 'prospect');
    const kinds = await page.locator('#queue-list tr[data-follow-up] td:nth-child(2) .muted').allInnerTexts();
    expect(kinds.length).toBeGreaterThan(0);
    for (const kind of kinds) expect(kind).toContain('咨询回访');
    await page.click('#clear-filters');
    await checkScreen(page, '2-queue', 'tr[data-follow-up]');

    // Open a call: it is claimed, the header says who and why, the focus is on the outcome.
    const item = queue.items.find((i: any) => !i.urgent) ?? queue.items[0];
    const patientId: string = item.patientId;
    await page.click(`tr[data-follow-up="${item.followUpId}"] a.work`);
    await page.waitForSelector('#call-form');
    await page.waitForSelector('#claim-banner:not([hidden])');
    expect(await page.evaluate(() => (globalThis as any).document.activeElement.id)).toBe('outcome');
    expect(await page.locator('#call-title').innerText()).toContain(item.patient.name);
    expect(await page.locator('#patient-phone').getAttribute('href')).toBe(`tel:${item.patient.phone.replace(/[^\d+]/g, '')}`);
    expect(await page.locator('#fact-purpose').innerText()).not.toBe('');
    expect(await page.locator('#claim-banner').innerText()).toContain('已为您锁定');
    expect((await queueOf()).items.find((i: any) => i.followUpId === item.followUpId).claim.by).toBe('nurse-zhang');
    expect(await page.locator('#talking-points').innerText()).toContain(item.patient.name);
    expect(await page.locator('#talking-points').innerText()).toContain('张护士');
    expect(await page.locator('ol.timeline').innerText()).not.toMatch(/nurse-zhang|desk-li|assistant-wang/);

    // Save is a few tabs away from the outcome, even for a reached call.
    let tabs = 0;
    while ((await page.evaluate(() => (globalThis as any).document.activeElement.id)) !== 'save-call' && tabs < 30) {
      await page.keyboard.press('Tab');
      tabs++;
    }
    expect(tabs).toBeLessThanOrEqual(12);

    const posts: Request[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/v1/calls')) posts.push(request);
    });
    const notes = `恢复良好,预约复查 ${Date.now()}`;
    await page.selectOption('#outcome', 'reached');
    await page.fill('#satisfaction', '5');
    await page.fill('#notes', notes);
    // A ticked appointment without a time is the caller's to fix: nothing is sent.
    await page.check('#appointment-on');
    await page.click('#save-call');
    await page.waitForSelector('#scheduledFor-error');
    expect(await page.locator('#scheduledFor-error').innerText()).toContain('请选择预约时间');
    expect(await page.locator('#scheduledFor').getAttribute('aria-invalid')).toBe('true');
    expect(posts).toHaveLength(0);
    // An empty referral is not sent either.
    await page.check('#referral-on');
    await page.click('#save-call');
    await page.waitForSelector('#referral-1-name-error');
    expect(posts).toHaveLength(0);
    await page.fill('#referral-1-name', '王小明');
    await page.fill('#referral-1-relation', '同事');
    await page.check('#objection-on');
    await page.selectOption('#objection-0-topic', 'fear');

    // A part the server refuses (a booking in the past) refuses the whole call: nothing recorded.
    const before = await eventsOf(running, patientId);
    await page.fill('#scheduledFor', clinicTime(-1, 10).local);
    await page.click('#save-call');
    await page.waitForSelector('#scheduledFor-error');
    await page.waitForFunction(() => ((globalThis as any).document.getElementById('scheduledFor-error')?.textContent ?? '').includes('已经过去'));
    expect(await page.locator('#form-errors').innerText()).toContain('什么都没有记录');
    expect(await page.locator('#notes').inputValue()).toBe(notes);
    expect(await page.locator('#referral-1-name').inputValue()).toBe('王小明');
    expect((await eventsOf(running, patientId)).length).toBe(before.length);
    expect(posts).toHaveLength(1);
    await checkScreen(page, '3-call-refused', '#scheduledFor-error');

    // The time fixed (10:00 in the clinic, whatever the browser's zone). The answer is lost on the
    // way back (the request landed); Save again with the same content: the same key, one call.
    const booking = clinicTime(2, 10);
    await page.fill('#scheduledFor', booking.local);
    let cut = true;
    await page.route('**/v1/calls', async (route) => {
      if (!cut || route.request().method() !== 'POST') return route.continue();
      cut = false;
      await route.fetch();
      await route.abort('connectionreset');
    });
    await page.click('#save-call');
    await page.waitForFunction(() => ((globalThis as any).document.getElementById('form-errors')?.textContent ?? '').includes('网络连接失败'));
    expect(posts).toHaveLength(2);
    await page.dblclick('#save-call');
    await page.waitForURL(/#\/queue$/);
    await page.waitForSelector('#flash');
    expect(await page.locator('#flash').innerText()).toContain('已保存');
    expect(posts).toHaveLength(3);
    const keys = posts.map((p) => p.headers()['idempotency-key']);
    expect(keys[1]).toBe(keys[2]);
    expect(keys[0]).not.toBe(keys[1]);
    expect(posts[1]!.postData()).toBe(posts[2]!.postData());
    const sent = JSON.parse(posts[2]!.postData()!);
    expect(Object.keys(sent).sort()).toEqual(['appointment', 'callerId', 'followUpId', 'notes', 'objections', 'outcome', 'patientId', 'referrals', 'satisfaction', 'startedAt']);

    const after = await eventsOf(running, patientId);
    const calls = after.filter((e) => e.type === 'CallAttempted' && e.data.notes === notes);
    expect(calls).toHaveLength(1);
    const callId = calls[0]!.data.callId;
    const added = after.slice(before.length);
    expect(added.filter((e) => e.type === 'ObjectionRaised').map((e) => [e.data.callId, e.data.topic])).toEqual([[callId, 'fear']]);
    expect(added.filter((e) => e.type === 'ReferralRequested').map((e) => e.data.referred)).toEqual([{ name: '王小明', relation: '同事' }]);
    const booked = added.filter((e) => e.type === 'AppointmentBooked');
    expect(booked).toHaveLength(1);
    expect(Date.parse(booked[0]!.data.scheduledFor)).toBe(Date.parse(booking.instant));
    expect(await page.locator(`tr[data-follow-up="${item.followUpId}"]`).count()).toBe(0);
    Object.assign(worked, { patientId, callId, startedAt: calls[0]!.data.startedAt });
  }, 120_000);

  it('two callers on one patient: the claim shows live in the other queue, the second is told and nothing is lost', async () => {
    const first = await open();
    const second = await open();
    await signInAs(first, running, 'nurse-zhang');
    await signInAs(second, running, 'desk-li');
    await second.waitForSelector('tr[data-follow-up]', { timeout: 30_000 });
    const item = (await queueOf()).items.find((i: any) => !i.claim && i.kind === 'treatment') ?? (await queueOf()).items.find((i: any) => !i.claim);
    const row = `tr[data-follow-up="${item.followUpId}"]`;
    await first.goto(`${running.url}/#/call/${encodeURIComponent(item.patientId)}/${encodeURIComponent(item.followUpId)}`);
    await first.waitForSelector('#claim-banner:not([hidden])');
    // The second caller's queue reads itself again (every 10 s) and shows who is on the call, by name.
    await second.waitForSelector(`${row} .claim`, { timeout: 15_000 });
    expect(await second.locator(`${row} .claim`).innerText()).toContain('张护士 正在回访');
    await second.click(`${row} a.work`);
    await second.waitForSelector('#claim-banner:not([hidden])');
    expect(await second.locator('#claim-banner').innerText()).toContain('张护士 正在回访这位患者');

    await first.fill('#notes', '第一位回访员的记录');
    await first.click('#save-call');
    await first.waitForURL(/#\/queue$/);
    await second.fill('#notes', '第二位回访员的记录');
    await second.click('#save-call');
    await second.waitForSelector('#already-closed');
    expect(await second.locator('#already-closed').innerText()).toContain('已由 张护士 完成并关闭');
    expect(await second.locator('#already-closed').innerText()).toContain('没有丢失');
    await checkScreen(second, '4-already-closed', '#already-closed');
    const calls = (await eventsOf(running, item.patientId)).filter((e) => e.type === 'CallAttempted' && e.data.followUpId === item.followUpId);
    expect(calls.map((c) => [c.data.callerId, c.data.notes])).toEqual(expect.arrayContaining([['nurse-zhang', '第一位回访员的记录'], ['desk-li', '第二位回访员的记录']]));
  }, 90_000);

  it('on a phone: one patient per card, big tap targets, and a twice-sent form records one attempt', async () => {
    const page = await open(PHONE);
    await signInAs(page, running, 'assistant-wang');
    await page.waitForSelector('tr[data-follow-up] a.work', { timeout: 30_000 });
    // The column heads are for screen readers only: each card labels its own fields.
    expect((await page.locator('table.queue thead').first().boundingBox())!.height).toBeLessThanOrEqual(1);
    expect(await page.locator('tr[data-follow-up] td[data-label]').first().evaluate((td) => (globalThis as any).getComputedStyle(td, '::before').content)).not.toBe('none');
    const card = page.locator('tr[data-follow-up]').first();
    expect(await card.evaluate((tr) => (globalThis as any).getComputedStyle(tr).display)).toBe('block');
    const button = await card.locator('a.work').boundingBox();
    expect(button!.height).toBeGreaterThanOrEqual(44);
    expect(button!.width).toBeGreaterThan(PHONE.width / 2);
    expect(await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth)).toBe(PHONE.width);

    const followUpId = (await card.getAttribute('data-follow-up'))!;
    const patientId = (await card.getAttribute('data-patient'))!;
    await card.locator('a.work').click();
    await page.waitForSelector('#call-form');
    expect(await page.evaluate(() => (globalThis as any).document.activeElement.id)).toBe('outcome');
    await page.selectOption('#outcome', 'no_answer');
    await page.fill('#notes', '手机上记录:无人接听');
    const saveBox = await page.locator('#save-call').boundingBox();
    expect(saveBox!.height).toBeGreaterThanOrEqual(44);
    const posts: Request[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/v1/calls')) posts.push(request);
    });
    const before = (await eventsOf(running, patientId)).filter((e) => e.type === 'CallAttempted').length;
    // Sent twice before the first answers (a double tap, a stuck key): one request, one attempt.
    await page.evaluate(() => {
      const form = (globalThis as any).document.getElementById('call-form');
      form.requestSubmit();
      form.requestSubmit();
    });
    await page.waitForURL(/#\/queue$/);
    expect(posts).toHaveLength(1);
    const attempts = (await eventsOf(running, patientId)).filter((e) => e.type === 'CallAttempted');
    expect(attempts.length).toBe(before + 1);
    expect(attempts.at(-1)!.data).toMatchObject({ followUpId, outcome: 'no_answer', callerId: 'assistant-wang' });
  }, 60_000);

  it("a call changes only the preferences the caller changed; the rest stand", async () => {
    const page = await open();
    await signInAs(page, running, 'nurse-zhang');
    await page.waitForSelector('tr[data-follow-up] a.work', { timeout: 30_000 });
    const row = page.locator('tr[data-follow-up]').last();
    const patientId = (await row.getAttribute('data-patient'))!;
    const url = `/v1/patients/${encodeURIComponent(patientId)}/preferences`;
    expect((await running.api.put(url, { vip: true, specialDates: [{ kind: 'birthday', date: '05-17' }, { kind: 'name_day', date: '09-09' }] })).status).toBe(201);
    await row.locator('a.work').click();
    await page.waitForSelector('#call-form[data-preferences="loaded"]');
    expect(await page.locator('#birthday').inputValue()).toBe('05-17');
    expect(await page.locator('#vip').isChecked()).toBe(true);
    await page.check('#preferences-on');
    await page.fill('#preferredTimes', '18:00-20:00');
    const [request] = await Promise.all([page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/v1/calls')), page.click('#save-call')]);
    await page.waitForURL(/#\/queue$/);
    // One request, and in it only what changed.
    expect(JSON.parse(request.postData()!).preferences).toEqual({ preferredTimes: ['18:00-20:00'] });
    const after = (await running.api.get(`${url}?minPosition=${await running.api.headPosition()}`)).body.preferences;
    expect(after).toEqual({ vip: true, preferredTimes: ['18:00-20:00'], specialDates: [{ kind: 'birthday', date: '05-17' }, { kind: 'name_day', date: '09-09' }] });
  }, 60_000);

  it("lists the calls outside the queue; a wrong number's right one brings the calls back", async () => {
    const page = await open();
    await signInAs(page, running, 'desk-li');
    await page.goto(`${running.url}/#/lists/needs_number`);
    await page.waitForSelector('#list-needs_number');
    const cards = page.locator('#list-needs_number li.list-card');
    expect(await cards.count()).toBeGreaterThan(0);
    await checkScreen(page, '5-lists', '#list-needs_number');
    const patientId = (await cards.first().getAttribute('data-patient'))!;
    const waiting = (await running.api.get('/v1/clinics/demo-clinic/follow-ups?status=needs_number&limit=500')).body.items.filter((i: any) => i.patientId === patientId);
    expect(waiting.length).toBeGreaterThan(0);
    await cards.first().locator('input[type="tel"]').fill('+86 139 0000 1234');
    await cards.first().locator('button[type="submit"]').click();
    await cards.first().locator('.notice').waitFor();
    expect(await cards.first().locator('.notice').innerText()).toContain('回访已回到队列');
    const still = (await running.api.get(`/v1/clinics/demo-clinic/follow-ups?status=needs_number&limit=500&minPosition=${await running.api.headPosition()}`)).body.items.filter((i: any) => i.patientId === patientId);
    expect(still).toHaveLength(0);
    await page.click('#tab-unreachable');
    await page.waitForSelector('#list-unreachable');
    expect(await page.locator('#list-unreachable tr[data-follow-up]').count()).toBeGreaterThan(0);
  }, 60_000);

  it("a doctor's callback: the doctor's own queue, the patient's header, complaint talking points, one save", async () => {
    const page = await open();
    const doctor = 'dr-chen';
    await signInAs(page, running, doctor);
    await page.waitForSelector('tr[data-follow-up] a.work', { timeout: 30_000 });
    expect(await page.locator('#who').innerText()).toContain(`医生 · ${nameOf(doctor)}`);
    await checkScreen(page, '6-doctor-queue', 'tr[data-follow-up]');
    const { body } = await running.api.get(`/v1/doctors/${doctor}/queue?limit=50`);
    const task = body.items.find((i: any) => i.kind === 'doctor_callback');
    expect(task).toBeDefined();
    await page.click(`tr[data-follow-up="${task.followUpId}"] a.work`);
    await page.waitForSelector('#call-form');
    expect(await page.locator('#call-title').innerText()).toContain(task.patient.name);
    expect(await page.locator('#patient-phone').getAttribute('href')).toMatch(/^tel:\+?\d+$/);
    const treatment = (await eventsOf(running, task.patientId)).find((e) => e.type === 'TreatmentCompleted' && e.data.treatmentId === task.treatmentId)!;
    expect(await page.locator('#fact-doctor dd').innerText()).toBe(nameOf(treatment.data.doctorId));
    expect(await page.locator('#fact-procedure dd').innerText()).not.toBe('—');
    expect(await page.locator('#fact-kind dd').innerText()).toBe('医生回电');
    expect(await page.locator('#fact-purpose dd').innerText()).toContain('投诉/不适回电');
    const points = await page.locator('#talking-points').innerText();
    expect(points).toContain(task.patient.name);
    expect(points).toContain(nameOf(doctor));
    expect(points).toContain('抱歉');
    await checkScreen(page, '7-doctor-callback', '#call-form');
    await page.fill('#satisfaction', '4');
    await page.fill('#notes', '已电话解释,症状缓解');
    await page.focus('#notes');
    await page.keyboard.press('Control+Enter'); // saved from where the doctor types
    await page.waitForURL(/#\/queue$/);
    const call = (await eventsOf(running, task.patientId)).filter((e) => e.type === 'CallAttempted').at(-1)!;
    expect(call.data).toMatchObject({ followUpId: task.followUpId, callerId: doctor, outcome: 'reached', satisfaction: 4 });
  }, 60_000);

  it('an auditor reads the queue and the calls, with no record button anywhere', async () => {
    const page = await open();
    await signInAs(page, running, 'auditor-sun');
    await page.waitForSelector('tr[data-follow-up]', { timeout: 30_000 });
    expect(await page.locator('a.work').count()).toBe(0);
    expect(await page.locator('tr[data-follow-up] a:has-text("查看")').count()).toBeGreaterThan(0);
    const followUpId = await page.locator('tr[data-follow-up]').first().getAttribute('data-follow-up');
    await page.locator('tr[data-follow-up] a:has-text("查看")').first().click();
    await page.waitForSelector('#read-only');
    expect(await page.locator('#save-call, #call-form, button.primary').count()).toBe(0);
    expect((await queueOf()).items.find((i: any) => i.followUpId === followUpId)?.claim?.by).not.toBe('auditor-sun');
    await checkScreen(page, '8-auditor-call', '#read-only');
  }, 60_000);

  it("the manager's day: one range for everything, callers and doctors apart, every hour, the weekly dates, exports in the clinic's zone", async () => {
    const page = await open();
    await signInAs(page, running, 'manager-wu');
    const sections = ['report-objections', 'report-effectiveness', 'report-prospects', 'report-doctors', 'report-referrals', 'report-appointments', 'report-urgent'];
    for (const id of sections) await page.waitForSelector(`#${id}[data-state="ready"]`, { timeout: 30_000 });
    await page.waitForSelector('#metrics[data-state="ready"]');
    await page.waitForSelector('#best-times[data-state="ready"]');
    await page.waitForSelector('#weekly table');
    const today = Temporal.Now.plainDateISO(ZONE);
    expect(await page.getByLabel('从', { exact: true }).inputValue()).toBe(today.subtract({ days: 29 }).toString());
    expect(await page.getByLabel('到', { exact: true }).inputValue()).toBe(today.toString());

    // Callers and doctors apart, by name.
    const callers = await page.locator('#metrics table.callers tbody').innerText();
    expect(callers).toContain('张护士');
    expect(callers).not.toContain('陈医生');
    expect(await page.locator('#metrics table.doctors tbody').innerText()).toMatch(/陈医生|刘医生|周医生/);
    expect(await page.locator('#metrics .legend-html .swatch.contact').count()).toBe(1);
    expect(await page.locator('#metrics .legend-html .swatch.conversion').count()).toBe(1);
    const nurse = await running.api.get(`/v1/callers/nurse-zhang/metrics?from=${Temporal.PlainDate.from(today.subtract({ days: 29 })).toZonedDateTime(ZONE).toInstant()}&to=${today.add({ days: 1 }).toZonedDateTime(ZONE).toInstant()}`);
    const cells = await page.locator('#metrics table.callers tbody tr', { hasText: '张护士' }).locator('td').allInnerTexts();
    expect(Number(cells[3])).toBe(nurse.body.appointmentsBooked);

    // Best times: contact and conversion, every hour between the first and the last.
    for (const id of ['best-contact', 'best-conversion']) {
      const hours = (await page.locator(`#${id} thead th`).allInnerTexts()).map((h) => Number.parseInt(h, 10));
      expect(hours.length).toBeGreaterThanOrEqual(13);
      hours.forEach((hour, i) => expect(hour).toBe(hours[0]! + i));
      expect(await page.locator(`#${id} tbody tr`).count()).toBe(7);
    }
    // The weekly summary: the last complete week in Shanghai, with its dates.
    const lastMonday = today.subtract({ days: today.dayOfWeek - 1 + 7 });
    const week = `${lastMonday.yearOfWeek}-W${String(lastMonday.weekOfYear).padStart(2, '0')}`;
    expect(await page.locator('#weekly-week').inputValue()).toBe(week);
    expect(await page.locator('#weekly-dates').innerText()).toContain(`${lastMonday.toString()}(周一)至 ${lastMonday.add({ days: 6 }).toString()}(周日)`);
    await checkScreen(page, '9-manager', '#metrics[data-state="ready"]');

    // A new range: everything follows it.
    const from = today.subtract({ days: 6 }).toString();
    await page.fill('#report-from', from);
    await page.click('#report-apply');
    await page.waitForFunction((f) => ((globalThis as any).document.getElementById('metrics-title')?.textContent ?? '').includes(f), from);
    expect(await page.locator('#best-title').innerText()).toContain(from);
    expect(await page.locator('#report-range-note').innerText()).toContain(`${from} 至 ${today.toString()}`);

    // Exports: calls with Chinese headers and the clinic's wall clock; then machine headers with the offset.
    const download = async (id: string) => {
      const [file] = await Promise.all([page.waitForEvent('download'), page.click(id)]);
      return { name: file.suggestedFilename(), lines: csvLines((await file.path())!) };
    };
    expect(await page.locator('#csv-chinese').isChecked()).toBe(true);
    const calls = await download('#export-calls');
    expect(calls.name).toBe(`rapport-calls-demo-clinic-${from}_${today.toString()}-zh.csv`);
    expect(calls.lines[0]!.startsWith('通话开始,回访员,回访员工号,患者编号,通话编号')).toBe(true);
    const mine = calls.lines.find((l) => l.includes(worked.callId!))!;
    const local = Temporal.Instant.from(worked.startedAt!).toZonedDateTimeISO(ZONE);
    expect(mine.startsWith(`${local.toPlainDate().toString()} ${local.toPlainTime().toString({ smallestUnit: 'second' })},张护士,nurse-zhang,`)).toBe(true);
    expect(mine).toContain(',已接通,');
    for (const [id, head] of [['#export-objections', '分组,异议类型,主题,处理方法,提出,化解,化解率'], ['#export-referrals', '转介绍编号,介绍人编号,请求时间'], ['#export-appointments', '星期,预约,到诊,爽约,未定,到诊率,爽约率']] as const) {
      const file = await download(id);
      expect(file.lines[0]!.startsWith(head)).toBe(true);
    }
    await page.uncheck('#csv-chinese');
    const machine = await download('#export-calls');
    expect(machine.lines[0]).toBe('startedAt,caller,callerId,patientId,callId,followUpId,outcome,durationSeconds,satisfaction,notes,symptoms,complaint,lateEntryReason,recordedAt,recordedBy,corrected');
    expect(machine.lines.find((l) => l.includes(worked.callId!))!.startsWith(`${local.toPlainDate().toString()}T${local.toPlainTime().toString({ smallestUnit: 'second' })}+08:00,张护士,`)).toBe(true);
    const appointments = await download('#report-appointments button.csv');
    expect(appointments.lines[0]).toBe('weekday,booked,attended,missed,open,showRate,noShowRate');
    expect(appointments.lines).toHaveLength(9);

    // A bad range is said in Chinese beside the dates; the reports stay.
    await page.fill('#report-from', today.toString());
    await page.fill('#report-to', today.subtract({ days: 5 }).toString());
    await page.click('#report-apply');
    await page.waitForSelector('#report-range-error:not([hidden])');
    expect(await page.locator('#report-range-error').innerText()).toContain('“从”的日期不能晚于“到”的日期');
    expect(await page.locator('#report-from').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#report-effectiveness tbody tr').count()).toBeGreaterThan(0);

    // The English switch: the same page in English, then back to Chinese.
    await page.click('nav button:has-text("English")');
    await page.waitForSelector('#report-objections[data-state="ready"] h2:has-text("Objections and how they were answered")');
    expect(await page.locator('label[for="report-from"]').innerText()).toBe('From');
    expect(await page.locator('#metrics h3').first().innerText()).toBe('Callers');
    await page.click('nav button:has-text("中文")');
    await page.waitForSelector('#report-objections[data-state="ready"] h2:has-text("异议处理效果")');

    // The console's two dictionaries have the same keys (a string, so the browser does the import).
    const missing = await page.evaluate(`import('/console/i18n.js').then(({ MESSAGES }) => {
      const keys = (o, p = '') => Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' && !Array.isArray(v) ? keys(v, p + k + '.') : [p + k]));
      const zh = keys(MESSAGES['zh-CN']);
      const en = keys(MESSAGES.en);
      return [...zh.filter((k) => !en.includes(k)), ...en.filter((k) => !zh.includes(k))];
    })`);
    expect(missing).toEqual([]);
    // Every refusal the API documents has a Chinese sentence.
    const rules = [...readFileSync(`${__dirname}/../../docs/api.md`, 'utf8').matchAll(/^\| (?:400|404|409|422) \| (.*) \|$/gm)].flatMap((m) => [...m[1]!.matchAll(/`([a-z_]+)`/g)].map((r) => r[1]!)).filter((r) => r !== 'details');
    expect(rules.length).toBeGreaterThan(30);
    const untranslated = await page.evaluate(`import('/console/i18n.js').then(({ MESSAGES }) => ${JSON.stringify(rules)}.filter((r) => !MESSAGES['zh-CN'].refusals[r]))`);
    expect(untranslated).toEqual([]);
  }, 120_000);
});
