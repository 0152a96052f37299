#!/usr/bin/env node
// `npm start`: the kiosk (Electron where its binary runs, else browser mode), TypeScript
// through tsx; the screens are built with Vite on first start. The launcher brings what the
// kiosk library does not hold: the face pipeline in Node for the demo customers
// (demo-faces.ts) and the demo store's settlement server (demo-store.ts).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../electron/host/start.ts');
const { describeFaces } = await import('./demo-faces.ts');
const { startDemoSettlement } = await import('./demo-store.ts');
const code = await main(process.argv.slice(2), { describeFaces, startDemoSettlement });
// The kiosk has closed its stores and servers: exit now, rather than wait for a handle a
// library left open (after a browser had been connected, Ctrl-C left the process running).
process.exit(code);
