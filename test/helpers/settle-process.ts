// The settlement server as a child process, for the tests that kill it (SIGKILL, mid-batch)
// and the benchmark (its own process, its own core). Started through the real CLI, or, for
// a test that needs the fault hook, through its test-only entry point (settle-serve-faults.ts).

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** Resolves at the next "SETTLE_FAULT_PAUSE" the server prints (inside an upload transaction). */
  nextPause(): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function spawnServer(options: {
  dataDir: string;
  databaseUrl?: string | undefined;
  port?: number;
  env?: Record<string, string>;
  nodeArgs?: string[];
  /** More arguments of `settle serve` (--signing-key F --box-key F). */
  args?: string[];
  /** Pause this long inside each upload's transaction (the test-only entry point; not `settle serve`). */
  faultPauseInTxMs?: number;
}): Promise<ServerProcess> {
  const port = ['--port', String(options.port ?? 0)];
  const entry =
    options.faultPauseInTxMs === undefined
      ? ['ledger/server/main.ts', 'serve', '--data-dir', options.dataDir, ...port, ...(options.args ?? [])]
      : ['test/helpers/settle-serve-faults.ts', '--data-dir', options.dataDir, ...port].concat([
          '--pause-ms',
          String(options.faultPauseInTxMs),
        ]);
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', ...entry], {
    env: {
      ...process.env,
      SETTLE_LOG: 'error',
      ...(options.databaseUrl === undefined ? {} : { DATABASE_URL: options.databaseUrl }),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const waiters: (() => void)[] = [];
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`settle server exited with ${code} before listening: ${stderr}`));
    child.once('exit', onExit);
    lines.on('line', (line) => {
      const m = /listening on (\S+)/.exec(line);
      if (m !== null) {
        child.off('exit', onExit);
        resolve(m[1]!);
      }
      if (line === 'SETTLE_FAULT_PAUSE') waiters.splice(0).forEach((w) => w());
    });
  });
  return {
    child,
    url,
    nextPause: () => new Promise<void>((resolve) => waiters.push(resolve)),
    async kill(signal = 'SIGKILL') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    },
  };
}
