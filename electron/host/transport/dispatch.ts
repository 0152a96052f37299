// One entry point for both transports: find the call by channel, check that the caller may make
// it (a paired customer screen for the customer's calls, pairing/access.ts), parse the request
// with its schema, run its handler (its domain's service, routes.ts) under the call's time limit, and answer {ok, value} or {ok: false,
// error: {code, message, details?}}. Operating errors keep their code and details; anything
// else is API_INTERNAL, logged here with its stack and answered without internals.
import type { Logger } from 'pino';
import { api, CALL_BY_CHANNEL, type ApiErrorDetails, type ApiResult, type CallName } from '../../contract/api.js';
import { ApiErrorDetailsSchema } from '../../contract/shapes.js';
import { ApiFault } from '../fault.js';
import type { Routes } from './routes.js';
import { accessRefusal, type Caller } from '../pairing/access.js';

export async function dispatch(
  routes: Routes,
  log: Logger,
  channel: string,
  raw: unknown,
  caller: Caller,
): Promise<ApiResult<unknown>> {
  const name = CALL_BY_CHANNEL.get(channel);
  if (name === undefined)
    return fail('API_UNKNOWN_CHANNEL', `no call on channel ${JSON.stringify(channel.slice(0, 64))}`);
  const refused = accessRefusal(name, caller);
  if (refused) return fail(refused.code, refused.message);
  const spec = api[name];
  const parsed = spec.request.safeParse(raw ?? {});
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const field = first && first.path.length > 0 ? first.path.join('.').slice(0, 200) : 'request';
    return fail('API_BAD_REQUEST', `${channel}: ${field}: ${first?.message ?? 'invalid request'}`, { field });
  }
  let timer: NodeJS.Timeout | undefined;
  try {
    const handler = routes[name] as (req: unknown, caller: Caller) => unknown;
    const value = await Promise.race([
      Promise.resolve().then(() => handler(parsed.data, caller)),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new ApiFault('API_TIMEOUT', `${channel}: no answer within ${spec.timeout_ms} ms`)),
          spec.timeout_ms,
        );
      }),
    ]);
    return { ok: true, value: checkResponse(name, value) };
  } catch (err) {
    if (err instanceof ApiFault) return fail(err.code, err.message, checkDetails(log, channel, err.details));
    log.error({ err, channel }, 'handler failed');
    return fail('API_INTERNAL', `${channel}: internal error; the details are in the kiosk log`);
  } finally {
    clearTimeout(timer);
  }
}

/** Our own answers are checked against the contract too: a mismatch is our bug, caught here. */
function checkResponse(name: CallName, value: unknown): unknown {
  const r = api[name].response.safeParse(value);
  if (!r.success)
    throw new Error(
      `response of ${name} breaks the contract: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return r.data;
}

/** An error's details, checked as answers are: values outside the contract are our bug, logged,
 * and the error is answered without them (its code and message still say what happened). */
function checkDetails(log: Logger, channel: string, details: ApiErrorDetails | undefined): ApiErrorDetails | undefined {
  if (details === undefined) return undefined;
  const r = ApiErrorDetailsSchema.safeParse(details);
  if (r.success) return r.data;
  log.error({ channel, issue: r.error.issues[0]?.message }, 'error details break the contract');
  return undefined;
}

function fail(code: string, message: string, details?: ApiErrorDetails): ApiResult<never> {
  return { ok: false, error: details === undefined ? { code, message } : { code, message, details } };
}
