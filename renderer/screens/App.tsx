// The customer's screens, one state machine: self-check -> order -> smile to pay (camera,
// face guide, prompts) -> paid / declined / phone-digits step-up -> receipt; and enrolment
// (consent, captures, name and phone) and deletion on request. The host decides; this
// component shows what it answers, in the customer's language.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  KioskApi,
  KioskClient,
  KioskStatus,
  MenuCategory,
  MenuItem,
  Order,
  Receipt,
  SessionView,
} from '../../electron/contract/api.js';
import { CONSENT_RETENTION_DAYS, CONSENT_TEXT_VERSION } from '../../electron/contract/constants.js';
import { isPayable } from './order-status.js';
import { lineText } from './order-lines.js';
import { checkText } from './check-text.js';
import { captureNowMs, FrameGrabber, openCamera } from '../camera/capture.js';
import { startFaceRuntime, type FaceRuntime } from '../camera/face-runtime.js';
import { formatMoney, LANGUAGES } from '../i18n.js';
import { FaceCamera } from './customer/FaceCamera.js';
import { Keypad } from './Keypad.js';
import { ReceiptView } from './customer/ReceiptView.js';
import { StaffScreens } from './staff/Staff.js';

type Screen =
  | { name: 'status' }
  | { name: 'order' }
  | { name: 'session'; session: SessionView }
  | { name: 'paid'; receipt: Receipt; initials: string }
  | { name: 'declined'; code: string; message: string; offerEnrolment: boolean }
  | { name: 'receipt'; receipt: Receipt }
  | { name: 'consent' }
  | { name: 'enrolled'; initials: string }
  | { name: 'deleted' };

/** Frames run untimed first (kernels compile on first use), then frames timed (the median counts). */
const VISION_WARMUP_FRAMES = 2;
const VISION_TIMED_FRAMES = 5;
/** A vision check too slow at start is measured again this often, at most this many times. */
const VISION_REMEASURE_MS = 3_000;
const VISION_REMEASURE_MAX = 40;
/** A staff device in the store (a tablet at the counter, the manager's laptop) opens the kiosk's
 * address with ?screen=staff: the staff screens only. It opens no camera and reports none, so
 * the kiosk's camera check stays the customer screen's. */
const STAFF_DEVICE = typeof location !== 'undefined' && new URLSearchParams(location.search).get('screen') === 'staff';
/** How long the self-check stays on screen once everything is ready. */
const STATUS_HOLD_MS = 8_000;

export function App(props: { api: KioskClient }) {
  const { api } = props;
  const { t, i18n } = useTranslation();
  const [screen, setScreen] = useState<Screen>({ name: 'status' });
  const [status, setStatus] = useState<KioskStatus | null>(null);
  const [menu, setMenu] = useState<MenuItem[]>([]);
  const [categories, setCategories] = useState<MenuCategory[]>([]);
  const [currency, setCurrency] = useState('EUR');
  const [cart, setCart] = useState<Record<string, number>>({});
  const [order, setOrder] = useState<Order | null>(null);
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [runtime, setRuntime] = useState<FaceRuntime | null>(null);
  const [fatal, setFatal] = useState<string | null>(null);
  // The staff screens, over the customer's (which keep their state underneath).
  const [staffOpen, setStaffOpen] = useState(STAFF_DEVICE);
  // Remounts the staff screens of a staff device when a member leaves them (back to sign-in).
  const [staffRound, setStaffRound] = useState(0);

  // Start-up: the camera and the face models, then the renderer's half of the self-check.
  useEffect(() => {
    if (STAFF_DEVICE) {
      void api.status({}).then((r) => r.ok && setStatus(r.value));
      return;
    }
    void (async () => {
      let cam: MediaStream | null = null;
      let camera = { ok: false, detail: '' };
      try {
        cam = await openCamera();
        const track = cam.getVideoTracks()[0];
        camera = {
          ok: true,
          detail: track
            ? `${track.getSettings().width ?? '?'}x${track.getSettings().height ?? '?'} px, ${track.getSettings().frameRate ?? '?'} fps`
            : 'camera',
        };
        setStream(cam);
      } catch (err) {
        camera = { ok: false, detail: (err as Error).message };
      }
      let vision = { ok: false, backend: 'none', frame_ms: 0, detail: '' };
      let rt: FaceRuntime | null = null;
      try {
        const configured = await api.status({});
        rt = await startFaceRuntime(configured.ok ? configured.value.vision_backend : 'auto');
        const frameMs = cam ? await measureFrameMs(rt, cam) : 0;
        vision = { ok: true, backend: rt.backend, frame_ms: frameMs, detail: '' };
        setRuntime(rt);
      } catch (err) {
        vision = { ...vision, detail: (err as Error).message.slice(0, 400) };
      }
      let r = await api.reportClient({ camera, vision });
      if (r.ok) setStatus(r.value);
      const m = await api.menu({});
      if (m.ok) {
        setMenu(m.value.items);
        setCategories(m.value.categories);
        setCurrency(m.value.currency);
      }
      // Too slow right after start (the machine still busy booting, the models just compiled):
      // measure again a while later, a bounded number of times, before the kiosk is used.
      const slow = (): boolean =>
        r.ok && !r.value.ready && r.value.checks.some((c) => c.name === 'vision' && !c.pending && !c.ok);
      for (let attempt = 1; attempt <= VISION_REMEASURE_MAX && rt && cam && vision.ok && slow(); attempt++) {
        await new Promise((res) => setTimeout(res, VISION_REMEASURE_MS));
        vision = { ...vision, frame_ms: await measureFrameMs(rt, cam) };
        r = await api.reportClient({ camera, vision });
        if (r.ok) setStatus(r.value);
      }
    })();
  }, [api]);

  useEffect(() => {
    if (screen.name !== 'status') return;
    const timer = setInterval(() => void api.status({}).then((r) => r.ok && setStatus(r.value)), 2_000);
    return () => clearInterval(timer);
  }, [api, screen.name]);

  // Orders the cashier sends appear here at once (the host's push): the screen shows that order
  // with "Smile to pay"; an order paid at the counter leaves the screen.
  useEffect(
    () =>
      api.onOrderChanged((e) => {
        if (e === null) return;
        const o = e.order;
        setOrder((mine) => {
          if (mine && mine.order_id === o.order_id) return isPayable(o) ? o : null;
          return o.source === 'counter' && o.order_id === e.current_order_id && isPayable(o) ? o : mine;
        });
        if (o.source === 'counter' && o.order_id === e.current_order_id && o.status === 'awaiting_payment') {
          setCart({});
          setScreen((s) =>
            s.name === 'paid' || s.name === 'receipt' || s.name === 'declined' ? { name: 'order' } : s,
          );
        }
      }),
    [api],
  );

  // An unattended kiosk (after a reboot) goes on to the order screen by itself once ready.
  const canContinue = status?.ready === true && runtime !== null && stream !== null;
  useEffect(() => {
    if (screen.name !== 'status' || !canContinue) return;
    const timer = setTimeout(() => setScreen({ name: 'order' }), STATUS_HOLD_MS);
    return () => clearTimeout(timer);
  }, [screen.name, canContinue]);

  // The prompt is shown at the moment the host drew (prompt_at_ms, on the capture clock), not
  // when the first frame after it comes back: the customer's reaction is then measured from
  // what they saw, without the pipeline's latency in it.
  const session = screen.name === 'session' ? screen.session : null;
  const promptAtMs = session?.prompt_at_ms ?? null;
  const phase = session?.phase ?? null;
  const [promptNow, setPromptNow] = useState(false);
  useEffect(() => {
    if (phase === 'prompt') return setPromptNow(true);
    if (phase !== 'looking' || promptAtMs === null) return setPromptNow(false);
    const waitMs = promptAtMs - captureNowMs();
    setPromptNow(waitMs <= 0);
    if (waitMs <= 0) return;
    const timer = setTimeout(() => setPromptNow(true), waitMs);
    return () => clearTimeout(timer);
  }, [phase, promptAtMs]);

  const total = useMemo(() => menu.reduce((s, m) => s + (cart[m.item_id] ?? 0) * m.price_minor, 0), [menu, cart]);
  const money = (minor: number, cur = currency): string => formatMoney(minor, cur, i18n.language);
  const name = (m: { name: Record<string, string> }): string => m.name[i18n.language] ?? m.name.en ?? '';

  const fail = useCallback(
    (code: string, message: string, offerEnrolment = false) =>
      setScreen({ name: 'declined', code, message, offerEnrolment }),
    [],
  );

  const startPayment = async (): Promise<void> => {
    let o = order;
    if (!o || !isPayable(o)) {
      const lines = Object.entries(cart)
        .filter(([, q]) => q > 0)
        .map(([item_id, quantity]) => ({ item_id, quantity }));
      const r = await api.createOrder({ lines });
      if (!r.ok) return fail(r.error.code, r.error.message);
      o = r.value;
      setOrder(o);
    }
    const s = await api.startPayment({ order_id: o.order_id });
    if (!s.ok) return fail(s.error.code, s.error.message);
    setScreen({ name: 'session', session: s.value });
  };

  const startSession = async (kind: 'enrol' | 'delete'): Promise<void> => {
    const s = kind === 'enrol' ? await api.startEnrolment({}) : await api.startDeletion({});
    if (!s.ok) return fail(s.error.code, s.error.message);
    setScreen({ name: 'session', session: s.value });
  };

  const onView = useCallback(
    (v: SessionView) => {
      if (v.phase === 'refused')
        return fail(v.error?.code ?? 'API_INTERNAL', v.error?.message ?? '', v.offer_enrolment);
      if (v.phase === 'done' && v.kind === 'payment' && v.receipt) {
        setOrder(null);
        setCart({});
        return setScreen({ name: 'paid', receipt: v.receipt, initials: v.customer_initials ?? '' });
      }
      if (v.phase === 'done' && v.kind === 'enrol')
        return setScreen({ name: 'enrolled', initials: v.customer_initials ?? '' });
      if (v.phase === 'done' && v.kind === 'delete') return setScreen({ name: 'deleted' });
      setScreen({ name: 'session', session: v });
    },
    [fail],
  );

  const home = (): void => {
    setScreen({ name: 'order' });
  };

  const header = (
    <header className="topbar">
      <span className="store" data-testid="store-name">
        {status?.store.name ?? 'Smile to Pay'}
        {status?.demo ? ` · ${t('status.demo')}` : ''}
      </span>
      <nav className="langs">
        {LANGUAGES.filter((l) => !status || status.store.languages.includes(l)).map((l) => (
          <button
            key={l}
            className={`lang ${i18n.language === l ? 'lang-on' : ''}`}
            data-testid={`lang-${l}`}
            onClick={() => void i18n.changeLanguage(l).then(() => (document.documentElement.lang = l))}
          >
            {t(`lang.${l}`)}
          </button>
        ))}
      </nav>
      {!staffOpen && !STAFF_DEVICE && screen.name !== 'session' && (
        <button className="staff-open" data-testid="staff-open" onClick={() => setStaffOpen(true)}>
          {t('staff.open')}
        </button>
      )}
    </header>
  );

  let body: React.ReactNode;
  if (staffOpen) {
    body = (
      <StaffScreens
        api={api}
        key={staffRound}
        staffDevice={STAFF_DEVICE}
        onExit={() => (STAFF_DEVICE ? setStaffRound((n) => n + 1) : setStaffOpen(false))}
        onOrderPaid={() => {
          setOrder(null);
          setCart({});
          setScreen((s) => (s.name === 'status' ? s : { name: 'order' }));
        }}
      />
    );
  } else if (fatal)
    body = (
      <section className="screen">
        <p className="error">{fatal}</p>
      </section>
    );
  else if (screen.name === 'status') {
    body = (
      <section className="screen status" data-testid="screen-status">
        <h1>{t('status.title')}</h1>
        <ul className="checks">
          {(status?.checks ?? []).map((c) => (
            <li
              key={c.name}
              className={c.pending ? 'check-pending' : c.ok ? 'check-ok' : 'check-bad'}
              data-testid={`check-${c.name}`}
            >
              <span className="check-mark">{c.pending ? '…' : c.ok ? '✓' : '✗'}</span>
              <span className="check-name">{t(`status.${c.name}`)}</span>
              <span className="check-detail">{c.pending && !c.say ? t('status.pending') : checkText(c, t, i18n)}</span>
            </li>
          ))}
        </ul>
        <p data-testid={status?.ready ? 'kiosk-ready' : 'kiosk-not-ready'} className={status?.ready ? 'ok' : 'warn'}>
          {status?.ready ? t('status.ready') : t('status.notReady')}
          {status?.ready_in_ms !== null && status?.ready_in_ms !== undefined
            ? ` (${(status.ready_in_ms / 1000).toFixed(1)} s)`
            : ''}
        </p>
        <button className="primary" data-testid="continue" disabled={!canContinue} onClick={home}>
          {t('status.continue')}
        </button>
      </section>
    );
  } else if (screen.name === 'order' && order && order.source === 'counter' && isPayable(order)) {
    body = (
      <section className="screen order" data-testid="screen-order" data-order-id={order.order_id}>
        <div className="cart sent-order" data-testid="customer-order">
          <h1>{t('order.title')}</h1>
          <ul>
            {order.lines.map((l, i) => (
              <li
                key={i}
                data-testid={`customer-line-${i}`}
                data-item-id={l.item_id}
                data-quantity={l.quantity}
                data-options={l.options.map((o) => o.option_id).join(',')}
              >
                <span>{lineText(l, i18n.language)}</span>
                <span>{money(l.line_minor, order.currency)}</span>
              </li>
            ))}
          </ul>
          {order.note && (
            <p className="small" data-testid="customer-order-note">
              {order.note}
            </p>
          )}
          <p className="total" data-testid="order-total" data-total-minor={order.total_minor}>
            {t('order.total')}: {money(order.total_minor, order.currency)}
          </p>
          <button className="primary big" data-testid="smile-to-pay" onClick={() => void startPayment()}>
            {t('order.pay')}
          </button>
        </div>
      </section>
    );
  } else if (screen.name === 'order') {
    body = (
      <section className="screen order" data-testid="screen-order">
        <div className="menu">
          <h2>{t('order.menu')}</h2>
          {categories.map((cat) => (
            <div key={cat.category_id} className="menu-category" data-testid={`menu-cat-${cat.category_id}`}>
              <h3>{name(cat)}</h3>
              {menu
                .filter((m) => m.category_id === cat.category_id)
                .map((m) => (
                  <button
                    key={m.item_id}
                    className="dish"
                    data-testid={`dish-${m.item_id}`}
                    onClick={() => setCart((c) => ({ ...c, [m.item_id]: Math.min(99, (c[m.item_id] ?? 0) + 1) }))}
                  >
                    <span className="dish-name">{name(m)}</span>
                    <span className="dish-price">{money(m.price_minor)}</span>
                  </button>
                ))}
            </div>
          ))}
        </div>
        <div className="cart">
          <h1>{t('order.title')}</h1>
          {total === 0 && <p className="small">{t('order.empty')}</p>}
          <ul>
            {menu
              .filter((m) => (cart[m.item_id] ?? 0) > 0)
              .map((m) => (
                <li key={m.item_id}>
                  <span>
                    {cart[m.item_id]} × {name(m)}
                  </span>
                  <span>{money(cart[m.item_id]! * m.price_minor)}</span>
                  <button
                    className="minus"
                    aria-label={t('order.remove')}
                    onClick={() => setCart((c) => ({ ...c, [m.item_id]: Math.max(0, (c[m.item_id] ?? 0) - 1) }))}
                  >
                    −
                  </button>
                </li>
              ))}
          </ul>
          <p className="total" data-testid="order-total">
            {t('order.total')}: {money(total)}
          </p>
          <button
            className="primary big"
            data-testid="smile-to-pay"
            disabled={total === 0}
            onClick={() => void startPayment()}
          >
            {t('order.pay')}
          </button>
          <div className="links">
            <button data-testid="start-enrol" onClick={() => setScreen({ name: 'consent' })}>
              {t('order.enrol')}
            </button>
            <button data-testid="start-delete" onClick={() => void startSession('delete')}>
              {t('order.delete')}
            </button>
          </div>
        </div>
      </section>
    );
  } else if (screen.name === 'session') {
    const s = screen.session;
    const needsDigits = s.phase === 'step_up';
    const title = s.kind === 'payment' ? t('pay.title') : s.kind === 'enrol' ? t('enrol.title') : t('del.title');
    body = (
      <section className="screen session" data-testid={`screen-${s.kind}`} data-phase={s.phase}>
        <h1>
          {title}
          {s.kind === 'payment' && order ? ` · ${money(order.total_minor, order.currency)}` : ''}
        </h1>
        {stream && runtime && (s.phase === 'looking' || s.phase === 'prompt') && (
          <FaceCamera
            api={api}
            stream={stream}
            runtime={runtime}
            session={s}
            prompt={promptNow}
            onView={onView}
            onError={fail}
          />
        )}
        {(s.phase === 'looking' || s.phase === 'prompt') && (
          <p
            className={`hint ${promptNow ? 'hint-smile' : ''}`}
            data-testid={promptNow ? 'prompt-smile' : 'hint'}
            data-hint={promptNow ? 'now_smile' : (s.hint ?? '')}
          >
            {promptNow ? t('hint.now_smile') : s.hint ? t(`hint.${s.hint}`) : t('pay.working')}
          </p>
        )}
        {s.captures && (
          <p className="small" data-testid="captures">
            {t('enrol.captures', { good: Math.min(s.captures.good, s.captures.needed), needed: s.captures.needed })}
          </p>
        )}
        {(s.phase === 'looking' || s.phase === 'prompt') && (
          <div className="progress" aria-label={t('pay.working')}>
            <span />
          </div>
        )}
        {needsDigits && (
          <div className="stepup" data-testid="screen-step-up">
            <h2>{s.kind === 'payment' ? t('stepUp.title') : t('del.title')}</h2>
            <p>{s.kind === 'payment' ? t('stepUp.text') : t('del.digits')}</p>
            <Keypad
              testId="keypad"
              onDone={(digits) =>
                void (
                  s.kind === 'payment'
                    ? api.stepUp({ session_id: s.session_id, phone_last4: digits })
                    : api.finishDeletion({ session_id: s.session_id, phone_last4: digits })
                ).then((r) => (r.ok ? onView(r.value) : fail(r.error.code, r.error.message)))
              }
            />
          </div>
        )}
        {s.phase === 'details' && <EnrolDetails api={api} session={s} onView={onView} onFail={fail} />}
        <button className="secondary" onClick={() => void api.cancel({ session_id: s.session_id }).then(home)}>
          {t('pay.cancel')}
        </button>
      </section>
    );
  } else if (screen.name === 'paid') {
    body = (
      <section className="screen paid" data-testid="screen-paid">
        <div className="big-mark ok">✓</div>
        <h1 data-testid="paid-title">{t('paid.title')}</h1>
        <p className="amount">{money(screen.receipt.amount_minor, screen.receipt.currency)}</p>
        {screen.initials && <p data-testid="paid-initials">{t('paid.thanks', { initials: screen.initials })}</p>}
        <button
          className="primary"
          data-testid="show-receipt"
          onClick={() => setScreen({ name: 'receipt', receipt: screen.receipt })}
        >
          {t('paid.receipt')}
        </button>
        <button className="secondary" onClick={home}>
          {t('paid.next')}
        </button>
      </section>
    );
  } else if (screen.name === 'receipt') {
    body = <ReceiptView receipt={screen.receipt} onDone={home} />;
  } else if (screen.name === 'declined') {
    const text = i18n.exists(`errors.${screen.code}`) ? t(`errors.${screen.code}`) : screen.message;
    body = (
      <section className="screen declined" data-testid="screen-declined" data-code={screen.code}>
        <div className="big-mark bad">✗</div>
        <h1>{t('declined.title')}</h1>
        <p className="reason" data-testid="declined-reason">
          {text}
        </p>
        <p className="small">{t('declined.counter')}</p>
        <button className="primary" data-testid="retry" onClick={home}>
          {t('declined.retry')}
        </button>
        {screen.offerEnrolment && (
          <button className="secondary" data-testid="offer-enrol" onClick={() => setScreen({ name: 'consent' })}>
            {t('declined.enrol')}
          </button>
        )}
      </section>
    );
  } else if (screen.name === 'consent') {
    body = (
      <section className="screen consent" data-testid="screen-consent">
        <h1>{t('enrol.consentTitle')}</h1>
        <p>{t('enrol.purpose')}</p>
        <p>{t('enrol.retention', { days: CONSENT_RETENTION_DAYS })}</p>
        <p>{t('enrol.deletion')}</p>
        <button className="primary" data-testid="consent-agree" onClick={() => void startSession('enrol')}>
          {t('enrol.agree')}
        </button>
        <button className="secondary" onClick={home}>
          {t('enrol.decline')}
        </button>
      </section>
    );
  } else if (screen.name === 'enrolled') {
    body = (
      <section className="screen enrolled" data-testid="screen-enrolled">
        <div className="big-mark ok">✓</div>
        <p>{t('enrol.done', { initials: screen.initials })}</p>
        <button className="primary" onClick={home}>
          {t('paid.next')}
        </button>
      </section>
    );
  } else {
    body = (
      <section className="screen deleted" data-testid="screen-deleted">
        <div className="big-mark ok">✓</div>
        <p>{t('del.done')}</p>
        <button className="primary" onClick={home}>
          {t('del.back')}
        </button>
      </section>
    );
  }
  void setFatal;
  return (
    <div className="app">
      {header}
      {body}
    </div>
  );
}

function EnrolDetails(props: {
  api: KioskApi;
  session: SessionView;
  onView: (v: SessionView) => void;
  onFail: (code: string, message: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const [displayName, setDisplayName] = useState('');
  const [phone, setPhone] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (): Promise<void> => {
    setBusy(true);
    const r = await props.api.finishEnrolment({
      session_id: props.session.session_id,
      consent: { text_version: CONSENT_TEXT_VERSION, language: i18n.language as 'en' | 'de' | 'zh', agreed: true },
      display_name: displayName.trim(),
      phone: phone.trim(),
    });
    setBusy(false);
    if (r.ok) props.onView(r.value);
    else props.onFail(r.error.code, r.error.message);
  };
  return (
    <form
      className="details"
      data-testid="enrol-details"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <label>
        {t('enrol.name')}
        <input
          data-testid="enrol-name"
          value={displayName}
          maxLength={60}
          onChange={(e) => setDisplayName(e.target.value)}
        />
      </label>
      <label>
        {t('enrol.phone')}
        <input
          data-testid="enrol-phone"
          inputMode="tel"
          value={phone}
          maxLength={20}
          onChange={(e) => setPhone(e.target.value)}
        />
      </label>
      <button
        className="primary"
        data-testid="enrol-finish"
        disabled={busy || displayName.trim() === '' || phone.replace(/\D/g, '').length < 6}
      >
        {t('enrol.finish')}
      </button>
    </form>
  );
}

/** Times the pipeline on a few camera frames: the self-check's vision speed. */
async function measureFrameMs(rt: FaceRuntime, stream: MediaStream): Promise<number> {
  const v = document.createElement('video');
  v.muted = true;
  v.srcObject = stream;
  await v.play().catch(() => undefined);
  const g = new FrameGrabber(v);
  const times: number[] = [];
  let warm = 0;
  for (let i = 0; i < 80 && times.length < VISION_TIMED_FRAMES; i++) {
    const f = g.grab();
    if (!f) {
      await new Promise((r) => setTimeout(r, 50));
      continue;
    }
    const t0 = performance.now();
    await rt.observe(f, captureNowMs());
    if (warm < VISION_WARMUP_FRAMES) warm += 1;
    else times.push(performance.now() - t0);
  }
  v.srcObject = null;
  rt.reset();
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(times.length / 2)] ?? 0);
}
