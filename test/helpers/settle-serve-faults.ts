// The settlement server with the crash tests' fault hook: it pauses inside each upload's
// transaction, after its writes and before its commit, and prints SETTLE_FAULT_PAUSE, so a
// test can kill it there. A test's own entry point, never `settle serve`: production code
// has no switch that turns the hook on.
//   node --import tsx test/helpers/settle-serve-faults.ts --data-dir D --port P --pause-ms MS

import { parseArgs } from 'node:util';
import { startServer } from '../../ledger/server/server.js';

const { values: o } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    port: { type: 'string', default: '0' },
    'pause-ms': { type: 'string' },
  },
});
const pauseMs = Number(o['pause-ms']);
if (o['data-dir'] === undefined || !Number.isSafeInteger(pauseMs) || pauseMs < 0)
  throw new Error('usage: settle-serve-faults.ts --data-dir D [--port P] --pause-ms MS');
const server = await startServer({
  dataDir: o['data-dir'],
  databaseUrl: process.env.DATABASE_URL,
  port: Number(o.port),
  faults: { pauseInTransactionMs: pauseMs, onPause: () => process.stdout.write('SETTLE_FAULT_PAUSE\n') },
});
console.log(`settle (with faults): listening on ${server.url}`);
process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
