// One entry point for both transports: find the call by channel, check that the caller may make
// it (a paired customer screen for the customer's calls, access.ts), parse the request with its
// schema, run the handler under the call's time limit, and answer {ok, value} or {ok: false,
// error: {code, message}}. Operating errors keep their code; anything else is API_INTERNAL,
// logged here with its stack and answered without internals.
import type { Logger } from 'pino';
import { api, CALL_BY_CHANNEL, type ApiResult, type CallName } from '../../contract/api.js';
import { ApiFault } from '../fault.js';
import type { KioskService } from '../payment/service.js';
import { accessRefusal, type Caller } from '../pairing/access.js';

export async function dispatch(
  service: KioskService,
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
    return fail(
      'API_BAD_REQUEST',
      `${channel}: ${first ? `${first.path.join('.') || 'request'}: ${first.message}` : 'invalid request'}`,
    );
  }
  let timer: NodeJS.Timeout | undefined;
  try {
    const handler = service[name] as (req: unknown, caller: Caller) => unknown;
    const value = await Promise.race([
      Promise.resolve().then(() => handler.call(service, parsed.data, caller)),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new ApiFault('API_TIMEOUT', `${channel}: no answer within ${spec.timeout_ms} ms`)),
          spec.timeout_ms,
        );
      }),
    ]);
    return { ok: true, value: checkResponse(name, value) };
  } catch (err) {
    if (err instanceof ApiFault) return fail(err.code, err.message);
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

function fail(code: string, message: string): ApiResult<never> {
  return { ok: false, error: { code, message } };
}
