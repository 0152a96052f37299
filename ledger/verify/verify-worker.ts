// Worker thread for verify: checks one seq range and posts the result back.
import { parentPort, workerData } from 'node:worker_threads';
import { verifyRange, type KeySpanHex } from './verify-range.js';

const { path, first, last, keys } = workerData as { path: string; first: number; last: number; keys: KeySpanHex[] };
const result = verifyRange(path, first, last, keys);
parentPort!.postMessage(result, [result.hashes.buffer as ArrayBuffer]);
