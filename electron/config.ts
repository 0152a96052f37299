// The kiosk's configuration: one JSON file plus environment variables, validated as a
// whole, with safe defaults. A bad setting stops start-up with a message that names it,
// what was expected and what was found. Precedence: defaults < file < environment.
//
//   SMILE_CONFIG          path of the JSON file (default: ./smile.config.json if present)
//   SMILE_DATA_DIR        data_dir              SMILE_KIOSK_ID        kiosk_id
//   SMILE_LOG_LEVEL       log_level             SMILE_HTTP_HOST/PORT  http.host / http.port
//   SMILE_HTTP_TLS        http.tls (1/0)        SMILE_HTTP_ALLOWED_HOSTS  http.allowed_hosts (a,b)
//   SMILE_SETTLEMENT_URL  settlement.url        SMILE_MERCHANT_TOKEN  settlement.merchant_token
//   SMILE_SERVER_PUBLIC_KEY  settlement.server_public_key
//   SMILE_CURRENCY        store.currency        SMILE_TIMEZONE        store.timezone
//   SMILE_VISION_BACKEND  vision.backend        SMILE_KEYS_ALLOW_WEAK keys.allow_weak_protection (1/0)

import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { isCurrency } from '../ledger/protocol/money.js';
import { PRICING_MODES, RATE_BP_MAX, ROUNDING_MODES, SALE_RATES_MAX, SERVICE_MODES } from '../ledger/protocol/sale.js';
import { TAX_ID_LENGTH_MAX } from '../ledger/protocol/entry-v2.js';
import { SECURITY_DEFAULTS, SecuritySchema } from './host/security/limits.js';
import { insecureUrlProblem } from '../ledger/sync/http.js';
import { FACE_CONFIG } from './face/config.js';
import { SETTING_RANGES } from './host/manager/settings.js';
import { ALLOWED_HOSTS_MAX, lanProblem } from './host/transport/origin-policy.js';

export const CONFIG_FILE_BYTES_MAX = 64 * 1024;
const DAY_MS = 24 * 60 * 60 * 1000;

const timezone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'an IANA time zone such as Europe/Berlin');

const minor = z.number().int().positive().max(100_000_000_000);
const taxId = z
  .string()
  .regex(
    new RegExp(`^[A-Za-z0-9][A-Za-z0-9-]{0,${TAX_ID_LENGTH_MAX - 1}}$`),
    `letters, digits or - (at most ${TAX_ID_LENGTH_MAX})`,
  );

/** Germany since 2026: food 7 % whether eaten in or taken away, drinks 19 % (letters as on German receipts). */
export const DEFAULT_TAX = {
  pricing: 'inclusive' as const,
  rounding: 'receipt' as const,
  service: 'eat_in' as const,
  rates: [
    { rate_id: 'A', rate_bp: 1_900 },
    { rate_id: 'B', rate_bp: 700 },
  ],
  categories: [
    { category_id: 'food', eat_in: 'B', take_away: 'B' },
    { category_id: 'drinks', eat_in: 'A', take_away: 'A' },
  ],
};
/** Tax categories a store configures, at most. */
export const TAX_CATEGORIES_MAX = 20;

const TaxSchema = z
  .object({
    /** Prices on the menu include the tax (European menus) or have it added (US). */
    pricing: z.enum(PRICING_MODES).default(DEFAULT_TAX.pricing),
    /** The tax rounded once per line, or once per rate on the receipt; stated on the receipt. */
    rounding: z.enum(ROUNDING_MODES).default(DEFAULT_TAX.rounding),
    /** What a new order is unless the cashier says otherwise. */
    service: z.enum(SERVICE_MODES).default(DEFAULT_TAX.service),
    rates: z
      .array(z.object({ rate_id: taxId, rate_bp: z.number().int().min(0).max(RATE_BP_MAX) }).strict())
      .min(1)
      .max(SALE_RATES_MAX)
      .default(DEFAULT_TAX.rates),
    /** Each menu item's tax category, and the rate it takes eaten in and taken away (Odoo's fiscal positions). */
    categories: z
      .array(z.object({ category_id: taxId, eat_in: taxId, take_away: taxId }).strict())
      .min(1)
      .max(TAX_CATEGORIES_MAX)
      .default(DEFAULT_TAX.categories),
  })
  .strict()
  .superRefine((t, ctx) => {
    const ids = t.rates.map((r) => r.rate_id);
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', path: ['rates'], message: 'a rate_id twice' });
    const cats = t.categories.map((c) => c.category_id);
    if (new Set(cats).size !== cats.length)
      ctx.addIssue({ code: 'custom', path: ['categories'], message: 'a category_id twice' });
    t.categories.forEach((c, i) => {
      for (const service of SERVICE_MODES)
        if (!ids.includes(c[service]))
          ctx.addIssue({
            code: 'custom',
            path: ['categories', i, service],
            message: `rate ${c[service]} is not one of the rates (${ids.join(', ')})`,
          });
    });
  });

/** The step-up amount's default is the face decision's (FACE_CONFIG, with its reason there): one
 * number, read by the kiosk's settings (manager/settings.ts) and changed there at run time. */
export const STEP_UP_AMOUNT_MINOR_DEFAULT = FACE_CONFIG.match.step_up_amount_minor_min;

export const ConfigSchema = z
  .object({
    data_dir: z.string().min(1).default('var'),
    kiosk_id: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,63}$/, 'letters, digits and ._:@- (at most 64)')
      .default('kiosk-demo-1'),
    log_level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    store: z
      .object({
        name: z.string().min(1).max(80).default('Demo Noodle Bar'),
        /** The receipt's merchant address (lines separated by newlines) and VAT id, as an accountant expects them. */
        address: z.string().max(200).default('Torstraße 1\n10119 Berlin'),
        vat_id: z.string().max(32).default('DE123456789'),
        currency: z.string().refine(isCurrency, 'an ISO 4217 currency code such as EUR').default('EUR'),
        timezone: timezone.default('UTC'),
        languages: z
          .array(z.enum(['en', 'de', 'zh']))
          .min(1)
          .default(['en', 'de', 'zh']),
      })
      .strict()
      .default({
        name: 'Demo Noodle Bar',
        address: 'Torstraße 1\n10119 Berlin',
        vat_id: 'DE123456789',
        currency: 'EUR',
        timezone: 'UTC',
        languages: ['en', 'de', 'zh'],
      }),
    tax: TaxSchema.default(DEFAULT_TAX),
    tips: z
      .object({
        /** The percentages the customer screen offers before the smile (basis points), besides none and an amount. */
        choices_bp: z.array(z.number().int().min(1).max(RATE_BP_MAX)).min(1).max(4).default([500, 1_000, 1_500]),
      })
      .strict()
      .default({ choices_bp: [500, 1_000, 1_500] }),
    http: z
      .object({
        // Loopback unless configured otherwise: remote screens are an explicit choice.
        host: z.string().min(1).default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(8080),
        /** Serve HTTPS with the kiosk's own certificate (transport/tls-cert.ts); required beyond loopback. */
        tls: z.boolean().default(false),
        /** The names (or addresses) staff devices use to reach the kiosk: the Host header must be one
         * of them (or loopback), and the certificate names them. Required beyond loopback. */
        allowed_hosts: z.array(z.string().min(1).max(253)).max(ALLOWED_HOSTS_MAX).default([]),
      })
      .strict()
      .default({ host: '127.0.0.1', port: 8080, tls: false, allowed_hosts: [] }),
    settlement: z
      .object({
        // null: the demo store runs an embedded settlement server.
        url: z
          .url({ protocol: /^https?$/ })
          .refine(
            (u) => insecureUrlProblem(u) === null,
            'https://, or http:// on loopback only (the token travels in it)',
          )
          .nullable()
          .default(null),
        merchant_token: z.string().min(16).max(256).nullable().default(null),
        // The settlement service's Ed25519 key, pinned; null: the merchant token's fingerprint pins it at registration.
        server_public_key: z
          .string()
          .regex(/^[0-9a-f]{64}$/, '64 lowercase hex digits')
          .nullable()
          .default(null),
      })
      .strict()
      .default({ url: null, merchant_token: null, server_public_key: null }),
    limits: z
      .object({
        offline_payment_max_minor: minor.default(5_000),
        offline_customer_day_max_minor: minor.default(15_000),
        offline_unsynced_age_ms_max: z
          .number()
          .int()
          .positive()
          .max(7 * DAY_MS)
          .default(DAY_MS),
        /** Face payments at or above this (minor units of store.currency) ask for the phone's
         * last digits; 0: every one does. */
        step_up_amount_minor: z.number().int().min(0).default(STEP_UP_AMOUNT_MINOR_DEFAULT),
        /** A refund or void above this needs a manager's session; a cashier's is refused. */
        refund_cashier_max_minor: minor.default(2_000),
        /** A discount (or comp) above this needs a manager on the spot. */
        discount_cashier_max_minor: minor.default(500),
        /** All the discounts a cashier gives in a business day (the store's zone) together: above
         * this, each further one needs a manager on the spot, however small. */
        discount_cashier_day_max_minor: minor.default(2_000),
      })
      .strict()
      .default({
        offline_payment_max_minor: 5_000,
        offline_customer_day_max_minor: 15_000,
        offline_unsynced_age_ms_max: DAY_MS,
        step_up_amount_minor: STEP_UP_AMOUNT_MINOR_DEFAULT,
        refund_cashier_max_minor: 2_000,
        discount_cashier_max_minor: 500,
        discount_cashier_day_max_minor: 2_000,
      }),
    keys: z
      .object({
        /** Development only: start with the device and box keys protected by their file mode
         * alone (browser mode, or Electron without a real OS keychain) although a settlement
         * server is configured (electron/host/key-protection.ts). */
        allow_weak_protection: z.boolean().default(false),
      })
      .strict()
      .default({ allow_weak_protection: false }),
    vision: z
      .object({
        backend: z.enum(['auto', 'tfjs-node', 'wasm', 'webgl', 'webgpu']).default('auto'),
      })
      .strict()
      .default({ backend: 'auto' }),
    /** What a screen may try (guesses, sessions, the camera's clock): host/security/limits.ts. */
    security: SecuritySchema.default(SECURITY_DEFAULTS),
  })
  .strict()
  .superRefine((c, ctx) => {
    const lan = lanProblem(c.http.host, c.http.tls, c.http.allowed_hosts);
    if (lan !== null) ctx.addIssue({ code: 'custom', path: ['http', 'host'], message: lan });
    // The limits a manager may change later must start inside the ranges they may be changed in.
    for (const [key, value] of Object.entries(c.limits)) {
      const range = (SETTING_RANGES as Record<string, { min: number; max: number }>)[key];
      if (range && (value < range.min || value > range.max))
        ctx.addIssue({
          code: 'custom',
          path: ['limits', key],
          message: `expected ${range.min}..${range.max} (the range the settings panel allows), got ${value}`,
        });
    }
    if (c.limits.offline_payment_max_minor > c.limits.offline_customer_day_max_minor) {
      ctx.addIssue({
        code: 'custom',
        path: ['limits', 'offline_payment_max_minor'],
        message: 'must not exceed limits.offline_customer_day_max_minor',
      });
    }
  });

export type KioskConfig = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
}

type Env = Record<string, string | undefined>;

/** Environment variables as a partial config; numbers are parsed here so the schema can say what is wrong. */
function fromEnv(env: Env): Record<string, unknown> {
  const out: Record<string, Record<string, unknown> | unknown> = {};
  const set = (path: string[], value: unknown) => {
    let node = out as Record<string, unknown>;
    for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[path[path.length - 1]!] = value;
  };
  const num = (name: string, raw: string) => (/^-?\d+$/.test(raw.trim()) ? Number(raw) : `${raw} (from ${name})`);
  const flag = (name: string, raw: string) =>
    /^(1|true)$/i.test(raw.trim()) ? true : /^(0|false)$/i.test(raw.trim()) ? false : `${raw} (from ${name})`;
  const list = (raw: string) =>
    raw
      .split(',')
      .map((x) => x.trim())
      .filter((x) => x !== '');
  type Kind = 'text' | 'number' | 'flag' | 'list';
  const map: [string, string[], Kind][] = [
    ['SMILE_DATA_DIR', ['data_dir'], 'text'],
    ['SMILE_KIOSK_ID', ['kiosk_id'], 'text'],
    ['SMILE_LOG_LEVEL', ['log_level'], 'text'],
    ['SMILE_HTTP_HOST', ['http', 'host'], 'text'],
    ['SMILE_HTTP_PORT', ['http', 'port'], 'number'],
    ['SMILE_HTTP_TLS', ['http', 'tls'], 'flag'],
    ['SMILE_HTTP_ALLOWED_HOSTS', ['http', 'allowed_hosts'], 'list'],
    ['SMILE_SETTLEMENT_URL', ['settlement', 'url'], 'text'],
    ['SMILE_MERCHANT_TOKEN', ['settlement', 'merchant_token'], 'text'],
    ['SMILE_SERVER_PUBLIC_KEY', ['settlement', 'server_public_key'], 'text'],
    ['SMILE_CURRENCY', ['store', 'currency'], 'text'],
    ['SMILE_TIMEZONE', ['store', 'timezone'], 'text'],
    ['SMILE_VISION_BACKEND', ['vision', 'backend'], 'text'],
    ['SMILE_KEYS_ALLOW_WEAK', ['keys', 'allow_weak_protection'], 'flag'],
  ];
  for (const [name, path, kind] of map) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    set(
      path,
      kind === 'number' ? num(name, raw) : kind === 'flag' ? flag(name, raw) : kind === 'list' ? list(raw) : raw,
    );
  }
  return out;
}

function merge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isObject(b) && isObject(v) ? merge(b, v) : v;
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Loads and validates the configuration; throws ConfigError naming every bad setting. */
export function loadConfig(options: { env?: Env; cwd?: string } = {}): KioskConfig & { config_file: string | null } {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const explicit = env.SMILE_CONFIG;
  const file = explicit ? resolve(cwd, explicit) : resolve(cwd, 'smile.config.json');
  let fromFile: Record<string, unknown> = {};
  let used: string | null = null;
  if (existsSync(file)) {
    const text = readFileSync(file, 'utf8');
    if (text.length > CONFIG_FILE_BYTES_MAX)
      throw new ConfigError(`${file}: ${text.length} bytes, more than ${CONFIG_FILE_BYTES_MAX}`);
    try {
      const parsed = JSON.parse(text) as unknown;
      if (!isObject(parsed)) throw new Error('expected a JSON object');
      fromFile = parsed;
    } catch (err) {
      throw new ConfigError(`${file}: not a JSON object (${(err as Error).message})`);
    }
    used = file;
  } else if (explicit) {
    throw new ConfigError(`SMILE_CONFIG names ${file}, which does not exist`);
  }
  const result = ConfigSchema.safeParse(merge(fromFile, fromEnv(env)));
  if (!result.success) {
    const where = used ?? 'the environment';
    const lines = result.error.issues.map((i) => {
      const path = i.path.join('.') || '(top level)';
      return `  ${path}: ${i.message}`;
    });
    throw new ConfigError(`bad configuration (${where}):\n${lines.join('\n')}`);
  }
  const config = result.data;
  return { ...config, data_dir: resolve(cwd, config.data_dir), config_file: used };
}
