#!/usr/bin/env node
// The `ledger` command: runs the TypeScript CLI through tsx, so no build step is needed.
import { register } from 'tsx/esm/api';

register();
// A closed pipe (`ledger export ... | head`) ends the command quietly.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
const { main } = await import('../ledger/cli/cli.ts');
process.exitCode = await main(process.argv.slice(2));
