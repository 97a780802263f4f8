import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { RunningApp } from '../support/in-process-app';

/** Helpers for the console's browser tests: sign-in, axe, screenshots at a desk and on a phone. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(__dirname, '..', '..', 'test-output', 'screenshots');
export const AXE = require.resolve('axe-core/axe.min.js');
export const DESK = { width: 1440, height: 900 };
export const PHONE = { width: 390, height: 844 };
/** The browser's own zone is not the clinic's (Asia/Shanghai): every time shown or picked must be the clinic's. */
export const BROWSER_ZONE = 'America/New_York';

export const STAFF = [
  { staffId: 'nurse-zhang', name: '张护士', role: 'caller' },
  { staffId: 'desk-li', name: '李前台', role: 'caller' },
  { staffId: 'assistant-wang', name: '王助理', role: 'caller' },
  { staffId: 'dr-chen', name: '陈医生', role: 'doctor' },
  { staffId: 'dr-liu', name: '刘医生', role: 'doctor' },
  { staffId: 'dr-zhou', name: '周医生', role: 'senior_doctor' },
  { staffId: 'manager-wu', name: '吴经理', role: 'manager' },
  { staffId: 'auditor-sun', name: '孙审计', role: 'auditor' },
] as const;

export function ensureScreenshots(): void {
  if (!existsSync(SCREENSHOTS)) mkdirSync(SCREENSHOTS, { recursive: true });
}

export async function newPage(browser: Browser, viewport = DESK): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: BROWSER_ZONE, acceptDownloads: true });
  const page = await context.newPage();
  page.on('pageerror', (error) => process.stderr.write(`[page error] ${error.message}\n`));
  return { context, page };
}

/** Signs in by picking the person from the clinic's staff directory. */
export async function signInAs(page: Page, app: RunningApp, staffId: string): Promise<void> {
  await page.goto(`${app.url}/#/sign-in`);
  await page.waitForSelector('#staff-picker:not([hidden])');
  await page.selectOption('#person', staffId);
  await page.click('#sign-in-person');
  await page.waitForFunction(() => !(globalThis as any).location.hash.includes('sign-in'));
}

/** axe-core's serious and critical violations on the page as it stands (none expected). */
export async function axeProblems(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => typeof (globalThis as any).axe !== 'undefined'))) {
    await page.addScriptTag({ content: readFileSync(AXE, 'utf8') });
  }
  return page.evaluate(async () => {
    const result = await (globalThis as any).axe.run((globalThis as any).document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v: any) => v.impact === 'serious' || v.impact === 'critical')
      .map((v: any) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n: any) => n.target.join(' ')).join(' | ')}`);
  });
}

/**
 * One screen, checked and kept: axe finds no serious or critical violation at a desk's width and
 * at a phone's, nothing is wider than the phone, and screenshots of each go to test-output (the
 * screen as the size shows it, and the whole page).
 */
export async function checkScreen(page: Page, name: string, ready: string): Promise<void> {
  const start = page.viewportSize() ?? DESK;
  for (const [label, size] of [['desk', DESK], ['phone', PHONE]] as const) {
    await page.setViewportSize(size);
    await page.waitForSelector(ready);
    expect({ screen: name, size: label, problems: await axeProblems(page) }).toEqual({ screen: name, size: label, problems: [] });
    if (label === 'phone') {
      const overflow = await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth);
      expect({ screen: name, scrollWidth: overflow }).toEqual({ screen: name, scrollWidth: PHONE.width });
    }
    // What the screen shows at that size, then the whole page (the sticky save bar put back in its place).
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${size.width}x${size.height}.png`) });
    const unstick = await page.addStyleTag({ content: '.save-bar { position: static !important; }' });
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${size.width}x${size.height}-full.png`), fullPage: true });
    await unstick.evaluate((style) => style.remove());
  }
  await page.setViewportSize(start);
}

/** The patient's stream as stored. */
export async function eventsOf(app: RunningApp, patientId: string): Promise<Array<{ type: string; data: any; eventId: string }>> {
  const { body } = await app.api.get(`/v1/patients/${encodeURIComponent(patientId)}/events`);
  return body.events;
}

/** Reads a downloaded CSV: its lines without the byte-order mark. */
export function csvLines(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  expect(text.charCodeAt(0)).toBe(0xfeff);
  return text.slice(1).split('\r\n').filter(Boolean);
}
