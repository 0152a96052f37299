// The staff screens' end-to-end set-up, one per test file: a kiosk host of its own (the same
// openKiosk as `npm start`) in a temporary folder with its demo manager and cashier, a WebSocket
// client for the host's calls, Debian's Chromium, and the kiosk page signed in on the keypad.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright';
import { loadConfig } from '../../electron/config.js';
import { createLogger } from '../../electron/log.js';
import type { KioskOptions } from '../../electron/host/kiosk.js';
import { openDemoKiosk, type DemoKiosk, type RunningDemoSettlement } from '../../scripts/demo-store.js';
import { ensureRendererBuilt } from '../../electron/host/start.js';
import { pairWithLink, WsClient } from '../helpers/kiosk-client.js';
import { CHROMIUM_PATH, launch } from './harness.js';

/** Skipped only off CI where Chromium is missing; in CI (CI=true) a missing Chromium fails. */
export const SKIP_WITHOUT_CHROMIUM =
  !existsSync(CHROMIUM_PATH) && !process.env.CI
    ? `no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium)`
    : false;

export type StaffRole = 'cashier' | 'manager';
export type LoadedConfig = ReturnType<typeof loadConfig>;

export class StaffKiosk {
  private readonly contexts: BrowserContext[] = [];

  private constructor(
    readonly dir: string,
    readonly config: LoadedConfig,
    readonly kiosk: DemoKiosk,
    readonly client: WsClient,
    readonly browser: Browser,
  ) {}

  /** `env` adds to the kiosk's settings; `beforeOpen` runs on its data folder before the host
   * starts (to write an earlier ledger); `options` go to openKiosk (no demo customers unless given). */
  static async open(
    name: string,
    o: {
      env?: Record<string, string>;
      beforeOpen?: (config: LoadedConfig) => void;
      options?: Partial<Omit<KioskOptions<RunningDemoSettlement>, 'config' | 'log' | 'startDemoSettlement'>>;
    } = {},
  ): Promise<StaffKiosk> {
    await ensureRendererBuilt();
    const dir = mkdtempSync(join(tmpdir(), `smile-${name}-e2e-`));
    const config = loadConfig({ env: { SMILE_DATA_DIR: dir, SMILE_HTTP_PORT: '0', ...o.env } });
    o.beforeOpen?.(config);
    const kiosk = await openDemoKiosk({
      config,
      log: createLogger({ level: process.env.SMILE_TEST_LOG ?? 'silent' }),
      demoPeople: [],
      syncPollMs: 200,
      ...o.options,
    });
    assert.ok(kiosk.demoStaff, 'a first start of the demo store makes its staff');
    // The orders a customer screen would place come from a paired one (pairing.ts).
    const client = await WsClient.connect(kiosk.http!.url, { cookie: await pairWithLink(kiosk.pairingLink()) });
    return new StaffKiosk(dir, config, kiosk, client, await launch());
  }

  /** The kiosk's page with no camera (the staff screens need none), its Staff button showing. */
  async page(options: { clock?: boolean } = {}): Promise<Page> {
    const context = await this.browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    this.contexts.push(context);
    const page = await context.newPage();
    if (options.clock) await page.clock.install();
    await page.goto(this.kiosk.http!.url);
    await page.getByTestId('staff-open').waitFor({ timeout: 30_000 });
    return page;
  }

  /** Types `pin` on the keypad `keypad` and presses OK. */
  async typePin(page: Page, keypad: string, pin: string): Promise<void> {
    const pad = page.getByTestId(keypad);
    for (const d of pin) await pad.getByTestId(`key-${d}`).click();
    await pad.getByTestId('key-OK').click();
  }

  /** Staff button, the member's name, the PIN on the keypad: the day's screen. */
  async signInAs(page: Page, staffId: string, pin: string): Promise<void> {
    await page.getByTestId('staff-open').click();
    await page.getByTestId(`staff-member-${staffId}`).click();
    await this.typePin(page, 'staff-pin', pin);
    await page.getByTestId('screen-staff-day').waitFor({ timeout: 10_000 });
  }

  signIn(page: Page, who: StaffRole): Promise<void> {
    const s = this.kiosk.demoStaff![who];
    return this.signInAs(page, s.staff_id, s.pin);
  }

  /** A session token of the demo manager or cashier, for calling the host directly. */
  async token(who: StaffRole): Promise<string> {
    const s = this.kiosk.demoStaff![who];
    return (await this.client.ok('staffSignIn', { staff_id: s.staff_id, pin: s.pin })).token;
  }

  async close(): Promise<void> {
    for (const c of this.contexts) await c.close().catch(() => undefined);
    this.client.close();
    await this.browser.close();
    await this.kiosk.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
