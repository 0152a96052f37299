#!/usr/bin/env node
// `npm start`: the kiosk host in plain Node (TypeScript through tsx; no build step).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../electron/host/start.ts');
process.exitCode = main();
