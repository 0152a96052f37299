// The settlement server's WAL checkpointer (see connect.ts): a second SQLite connection on
// its own thread that copies committed WAL frames into the database file, PASSIVE (it never
// blocks the writer), every interval_ms. Checkpoints write and fsync megabytes; here they
// do so beside the event loop instead of inside a commit on it. Plain JavaScript.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = NORMAL');
db.pragma('wal_autocheckpoint = 0');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    parentPort.postMessage({ error: String(err && err.message) });
  }
}, workerData.interval_ms);
parentPort.on('message', (m) => {
  if (m === 'close') {
    clearInterval(timer);
    db.close();
    parentPort.close();
  }
});
