#!/usr/bin/env node
// The settlement server's command line (ledger/server/main.ts), run through tsx so that the
// TypeScript sources are what runs. `node bin/settle.js --help` lists the commands.
import { register } from 'tsx/esm/api';

register();
await import('../ledger/server/main.ts');
