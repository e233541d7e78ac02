// The web UI in a real browser (Debian's chromium, driven by playwright-core): the page
// renders, "start" on the breakglass service starts it, and the live log view updates.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeService, startInit } from './harness.js';
import type { InitHarness } from './harness.js';

const CHROMIUM = '/usr/bin/chromium';
const FAKE_SERVER = `
  console.error('breakglassd: listening on 127.0.0.1:2222 (host key SHA256:test)');
  let n = 0;
  setInterval(() => console.error('breakglassd: heartbeat ' + n++), 150);`;

/** A PNG to look at when BREAKGLASS_SCREENSHOTS names a dir; otherwise it is only rendered. */
async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env['BREAKGLASS_SCREENSHOTS'];
  const png = await page.screenshot(dir ? { path: join(dir, name) } : {});
  expect(png.subarray(1, 4).toString()).toBe('PNG');
}

let init: InitHarness;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  init = await startInit([
    nodeService('/user/breakglass', FAKE_SERVER, { dontStart: true }),
    nodeService('/user/app', "console.log('app: ready <b>not bold</b>'); setInterval(() => {}, 1000);"),
  ]);
  // launch() gives every run a fresh temporary profile (user-data-dir) of its own.
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  context = await browser.newContext({ httpCredentials: { username: 'gokrazy', password: init.password }, viewport: { width: 1100, height: 760 } });
}, 60_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await init?.stop();
});

describe.skipIf(!existsSync(CHROMIUM))('web UI in Chromium', () => {
  it('renders the services, starts breakglass with a click and streams its log', async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (msg) => msg.type() === 'error' && errors.push(msg.text()));
    await page.goto(`http://127.0.0.1:${init.port}/`);
    const row = page.locator('tr[data-path="/user/breakglass"]');
    await expect.poll(() => row.locator('.state').textContent()).toBe('stopped');
    // Log lines are text, never markup.
    await expect.poll(() => page.locator('tr[data-path="/user/app"] td.last').textContent()).toBe('app: ready <b>not bold</b>');

    await row.getByRole('button', { name: 'start' }).click();
    await page.waitForURL(/\/status\?path=%2Fuser%2Fbreakglass$/, { timeout: 20_000 });
    await expect.poll(() => page.locator('.state').textContent(), { timeout: 15_000 }).toBe('running');
    const log = page.locator('pre#stderr');
    await expect.poll(() => log.textContent(), { timeout: 15_000 }).toContain('breakglassd: listening on 127.0.0.1:2222');
    const beats = async (): Promise<number> => Math.max(-1, ...[...((await log.textContent()) ?? '').matchAll(/heartbeat (\d+)/g)].map((m) => Number(m[1])));
    const first = await beats();
    await expect.poll(beats, { timeout: 15_000 }).toBeGreaterThan(first + 2);
    await screenshot(page, 'breakglass-init-status.png');

    await page.getByRole('button', { name: 'stop' }).click();
    await expect.poll(() => page.locator('.state').textContent(), { timeout: 15_000 }).toBe('stopped');
    await page.goto(`http://127.0.0.1:${init.port}/`);
    await screenshot(page, 'breakglass-init-overview.png');
    expect(errors).toEqual([]);
  }, 90_000);

});
