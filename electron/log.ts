// Structured logs (pino) with levels. Biometric data and keys never reach a log: the
// fields that could hold them are censored wherever they appear, at any depth we log.

import pino, { type Logger, type LoggerOptions } from 'pino';

/** Field names that may hold a face image, a descriptor, a template or a key. */
export const SECRET_FIELDS = [
  'descriptor',
  'descriptors',
  'template',
  'templates',
  'image',
  'frame',
  'pixels',
  'embedding',
  'secret_key',
  'private_key',
  'key_material',
  'pin',
  'merchant_token',
  'authorization',
];

const paths = SECRET_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]);

export function createLogger(options: { level: string; name?: string; destination?: pino.DestinationStream }): Logger {
  const opts: LoggerOptions = {
    level: options.level,
    name: options.name ?? 'smile-to-pay',
    redact: { paths, censor: '[redacted]' },
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return options.destination ? pino(opts, options.destination) : pino(opts);
}
