#!/usr/bin/env node
// `npm start`: the kiosk (Electron where its binary runs, else browser mode), TypeScript
// through tsx; the screens are built with Vite on first start.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../electron/host/start.ts');
const { describeFaces } = await import('./demo-faces.ts');
process.exitCode = await main(process.argv.slice(2), describeFaces);
