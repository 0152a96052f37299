// The kiosk the attack tests run against: the demo store with the man of d0 enrolled (phone
// digits 0042), its real HTTP + WebSocket transport on loopback, its own vision worker, and d0's
// frames as a screen sends them, with where the real pipeline sees his smile begin.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type KioskConfig } from '../../electron/config.js';
import { createLogger } from '../../electron/log.js';
import { openDemoKiosk, type DemoKiosk } from '../../scripts/demo-store.js';
import { videoPerson } from '../../electron/host/demo/demo.js';
import { FACE_CONFIG } from '../../electron/face/config.js';
import { initNodeVision } from '../../native/backend.node.js';
import { decodeImage } from '../../native/image.node.js';
import { FacePipeline } from '../../vision/pipeline.js';
import { LedgerReader } from '../../ledger/store/reader.js';
import { describeFaces } from '../../scripts/demo-faces.js';
import { pairWithLink, WsClient } from '../helpers/kiosk-client.js';
import { screenFrames } from '../helpers/screen-frames.js';

export interface AttackKiosk {
  dir: string;
  kiosk: DemoKiosk;
  d0: Uint8Array[];
  onset: number;
  neutralTo: number;
  /** A paired customer screen's connection. */
  screen(): Promise<WsClient>;
  /** A page that is not paired (another tab, another device). */
  stranger(): Promise<WsClient>;
  payments(): number;
  close(): Promise<void>;
}

export async function openAttackKiosk(security: Partial<KioskConfig['security']> = {}): Promise<AttackKiosk> {
  const dir = mkdtempSync(join(tmpdir(), 'smile-attack-'));
  const config = loadConfig({ env: { SMILE_DATA_DIR: dir, SMILE_HTTP_PORT: '0' } });
  const kiosk = await openDemoKiosk({
    config: { ...config, security: { ...config.security, ...security } },
    log: createLogger({ level: process.env.SMILE_TEST_LOG ?? 'silent' }),
    demoPeople: [videoPerson()],
    describeFaces,
    syncPollMs: 200,
  });
  assert.ok(await kiosk.visionReady, "the kiosk's vision worker started");
  const d0 = screenFrames('d0.mjpeg');
  const v = await initNodeVision();
  const pipe = new FacePipeline(v.faceapi, v.backend);
  const smiles: number[] = [];
  for (let i = 0; i < d0.length; i++) smiles.push((await pipe.observe(decodeImage(d0[i]!), i * 66)).face?.smile ?? 1);
  const onset = smiles.findIndex((s) => s >= FACE_CONFIG.liveness.smile_min);
  let neutralTo = onset - 1;
  while (neutralTo > 4 && smiles[neutralTo]! > 0.1) neutralTo--;
  assert.ok(onset > 4, `d0 starts neutral (onset at ${onset})`);
  const url = kiosk.http!.url;
  return {
    dir,
    kiosk,
    d0,
    onset,
    neutralTo,
    screen: async () => WsClient.connect(url, { cookie: await pairWithLink(kiosk.pairingLink()) }),
    stranger: () => WsClient.connect(url),
    payments: () => {
      const r = new LedgerReader(join(dir, 'ledger.db'));
      try {
        return [...r.range(1, 100_000)].filter((e) => e.entry.kind === 'payment').length;
      } finally {
        r.close();
      }
    },
    async close() {
      await kiosk.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
