// The manager's Team panel: every member with their role and state (active, disabled, locked
// out until when), disable/enable, unlock, a new PIN for a member who forgot theirs; adding a
// member; changing one's own PIN; and the audit of staff changes (who did what to whom). The
// host checks the role and every rule (never oneself or the last manager, PIN strength) again.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError, ApiResult, ResponseOf, TeamMember } from '../../../electron/contract/api.js';
import type { PanelContext } from './manager-panels.js';

type Loaded = ResponseOf<'teamList'>;
const PIN = /^\d{4,8}$/;
const STAFF_ID = /^[a-z0-9][a-z0-9._-]{0,31}$/;

export function Team({ ctx }: { ctx: PanelContext }) {
  const { t, i18n } = useTranslation();
  const { api, withToken, onError, onNotice, session } = ctx;
  const [data, setData] = useState<Loaded | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [pinFor, setPinFor] = useState<string | null>(null);

  const load = useCallback(async (): Promise<void> => {
    const r = await withToken((token) => api.teamList({ token }));
    if (r?.ok) setData(r.value);
    else if (r) onError(r.error);
  }, [api, withToken, onError]);

  useEffect(() => {
    void load();
  }, [load]);

  const fail = (e: ApiError): void => {
    if (i18n.exists(`team.errors.${e.code}`)) setProblem(e.code);
    else onError(e);
  };

  /** Runs a call; on success says `notice` and reloads the list. */
  const act = async (run: (token: string) => Promise<ApiResult<unknown>>, notice: () => string): Promise<boolean> => {
    setProblem(null);
    const r = await withToken(run);
    if (!r) return false;
    if (!r.ok) {
      fail(r.error);
      return false;
    }
    onNotice(notice);
    await load();
    return true;
  };

  const time = (ms: number): string => new Intl.DateTimeFormat(i18n.language, { timeStyle: 'short' }).format(ms);
  const when = (ms: number): string =>
    new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'short' }).format(ms);

  if (!data) return <p>{t('settings.loading')}</p>;
  return (
    <div className="team-panel" data-testid="team-panel">
      <h2>{t('team.title')}</h2>
      <p className="team-count">{t('team.count', { count: data.members.length, max: data.members_max })}</p>
      {problem && (
        <p className="error" role="alert" data-testid="team-problem">
          {t(`team.errors.${problem}`)}
        </p>
      )}
      <div className="table-scroll">
        <table className="staff-table team-members">
          <thead>
            <tr>
              <th>{t('team.name')}</th>
              <th>{t('team.id')}</th>
              <th>{t('team.role')}</th>
              <th>{t('team.status')}</th>
              <th>{t('team.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {data.members.map((m) => (
              <MemberRow
                key={m.staff_id}
                m={m}
                self={m.staff_id === session.staff_id}
                time={time}
                pinOpen={pinFor === m.staff_id}
                onToggle={() =>
                  void act(
                    (token) => api.teamSetDisabled({ token, staff_id: m.staff_id, disabled: !m.disabled }),
                    () =>
                      i18n.t(m.disabled ? 'team.notices.enabled' : 'team.notices.disabled', { name: m.display_name }),
                  )
                }
                onUnlock={() =>
                  void act(
                    (token) => api.teamUnlock({ token, staff_id: m.staff_id }),
                    () => i18n.t('team.notices.unlocked', { name: m.display_name }),
                  )
                }
                onPinOpen={(open) => {
                  setProblem(null);
                  setPinFor(open ? m.staff_id : null);
                }}
                onPin={(pin) =>
                  act(
                    (token) => api.teamResetPin({ token, staff_id: m.staff_id, pin }),
                    () => i18n.t('team.notices.pinReset', { name: m.display_name }),
                  ).then((ok) => {
                    if (ok) setPinFor(null);
                    return ok;
                  })
                }
                onProblem={setProblem}
              />
            ))}
          </tbody>
        </table>
      </div>
      <div className="team-forms">
        <AddMember
          onProblem={setProblem}
          onAdd={(m) =>
            act(
              (token) => api.teamAdd({ token, ...m }),
              () => i18n.t('team.notices.added', { name: m.display_name }),
            )
          }
        />
        <OwnPin
          onProblem={setProblem}
          onChange={(current_pin, new_pin) =>
            act(
              (token) => api.changeOwnPin({ token, current_pin, new_pin }),
              () => i18n.t('team.notices.ownPin'),
            )
          }
        />
      </div>
      <section className="panel team-audit" data-testid="team-audit">
        <h3>{t('team.audit.title')}</h3>
        {data.audit.length === 0 ? (
          <p>{t('team.audit.none')}</p>
        ) : (
          <div className="table-scroll">
            <table className="staff-table">
              <thead>
                <tr>
                  <th>{t('team.audit.when')}</th>
                  <th>{t('team.audit.who')}</th>
                  <th>{t('team.audit.action')}</th>
                  <th>{t('team.audit.member')}</th>
                </tr>
              </thead>
              <tbody>
                {data.audit.map((a, i) => (
                  <tr key={`${a.at_ms}-${i}`}>
                    <td className="num">{when(a.at_ms)}</td>
                    <td>{a.actor}</td>
                    <td>{t(`team.audit.actions.${a.action}`)}</td>
                    <td>{a.staff_id}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

function MemberRow(props: {
  m: TeamMember;
  self: boolean;
  time: (ms: number) => string;
  pinOpen: boolean;
  onToggle: () => void;
  onUnlock: () => void;
  onPinOpen: (open: boolean) => void;
  onPin: (pin: string) => Promise<boolean>;
  onProblem: (p: string) => void;
}) {
  const { t } = useTranslation();
  const { m } = props;
  const [pin, setPin] = useState('');
  const state = m.disabled
    ? t('team.disabled')
    : m.locked_until_ms !== null
      ? t('team.lockedUntil', { time: props.time(m.locked_until_ms) })
      : t('team.active');
  const submit = (ev: FormEvent): void => {
    ev.preventDefault();
    if (!PIN.test(pin)) return props.onProblem('pinFormat');
    void props.onPin(pin).then((ok) => ok && setPin(''));
  };
  return (
    <tr
      data-testid={`team-member-${m.staff_id}`}
      data-state={m.disabled ? 'disabled' : m.locked_until_ms !== null ? 'locked' : 'active'}
    >
      <td>{m.display_name}</td>
      <td>{m.staff_id}</td>
      <td>{t(`staff.role.${m.role}`)}</td>
      <td data-testid={`team-state-${m.staff_id}`}>{state}</td>
      <td className="team-actions">
        {!props.self && (
          <button className="secondary" data-testid={`team-toggle-${m.staff_id}`} onClick={props.onToggle}>
            {t(m.disabled ? 'team.enable' : 'team.disable')}
          </button>
        )}
        {m.locked_until_ms !== null && (
          <button className="secondary" data-testid={`team-unlock-${m.staff_id}`} onClick={props.onUnlock}>
            {t('team.unlock')}
          </button>
        )}
        {!props.pinOpen && (
          <button className="secondary" data-testid={`team-pin-${m.staff_id}`} onClick={() => props.onPinOpen(true)}>
            {t('team.resetPin')}
          </button>
        )}
        {props.pinOpen && (
          <form className="team-pin-form" onSubmit={submit}>
            <input
              type="password"
              inputMode="numeric"
              autoComplete="off"
              aria-label={t('team.pin')}
              placeholder={t('team.pin')}
              data-testid={`team-pin-input-${m.staff_id}`}
              value={pin}
              maxLength={8}
              onChange={(e) => setPin(e.target.value)}
            />
            <button type="submit" data-testid={`team-pin-save-${m.staff_id}`}>
              {t('team.setPin')}
            </button>
            <button type="button" className="secondary" onClick={() => props.onPinOpen(false)}>
              {t('team.cancel')}
            </button>
          </form>
        )}
      </td>
    </tr>
  );
}

function AddMember(props: {
  onAdd: (m: { staff_id: string; display_name: string; role: 'cashier' | 'manager'; pin: string }) => Promise<boolean>;
  onProblem: (p: string) => void;
}) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [id, setId] = useState('');
  const [role, setRole] = useState<'cashier' | 'manager'>('cashier');
  const [pin, setPin] = useState('');
  const [pin2, setPin2] = useState('');
  const submit = (ev: FormEvent): void => {
    ev.preventDefault();
    if (!name.trim()) return props.onProblem('nameMissing');
    if (!STAFF_ID.test(id)) return props.onProblem('idFormat');
    if (!PIN.test(pin)) return props.onProblem('pinFormat');
    if (pin !== pin2) return props.onProblem('pinsDiffer');
    void props.onAdd({ staff_id: id, display_name: name.trim(), role, pin }).then((ok) => {
      if (!ok) return;
      setName('');
      setId('');
      setPin('');
      setPin2('');
    });
  };
  return (
    <form className="panel team-form" data-testid="team-add" onSubmit={submit}>
      <h3>{t('team.add.title')}</h3>
      <label>
        {t('team.add.name')}
        <input data-testid="team-add-name" value={name} maxLength={60} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        {t('team.add.id')}
        <input
          data-testid="team-add-id"
          value={id}
          maxLength={32}
          autoCapitalize="none"
          onChange={(e) => setId(e.target.value)}
        />
      </label>
      <label>
        {t('team.role')}
        <select
          data-testid="team-add-role"
          value={role}
          onChange={(e) => setRole(e.target.value === 'manager' ? 'manager' : 'cashier')}
        >
          <option value="cashier">{t('staff.role.cashier')}</option>
          <option value="manager">{t('staff.role.manager')}</option>
        </select>
      </label>
      <label>
        {t('team.pin')}
        <input
          type="password"
          inputMode="numeric"
          autoComplete="new-password"
          data-testid="team-add-pin"
          value={pin}
          maxLength={8}
          onChange={(e) => setPin(e.target.value)}
        />
      </label>
      <label>
        {t('team.pin2')}
        <input
          type="password"
          inputMode="numeric"
          autoComplete="new-password"
          data-testid="team-add-pin2"
          value={pin2}
          maxLength={8}
          onChange={(e) => setPin2(e.target.value)}
        />
      </label>
      <button type="submit" data-testid="team-add-submit">
        {t('team.add.submit')}
      </button>
    </form>
  );
}

/** Any member's own PIN change (the cashier's too): the current PIN, then the new one twice. */
export function MyPin({ ctx }: { ctx: PanelContext }) {
  const { t, i18n } = useTranslation();
  const [problem, setProblem] = useState<string | null>(null);
  const change = async (current_pin: string, new_pin: string): Promise<boolean> => {
    setProblem(null);
    const r = await ctx.withToken((token) => ctx.api.changeOwnPin({ token, current_pin, new_pin }));
    if (!r) return false;
    if (!r.ok) {
      if (i18n.exists(`team.errors.${r.error.code}`)) setProblem(r.error.code);
      else ctx.onError(r.error);
      return false;
    }
    ctx.onNotice(() => i18n.t('team.notices.ownPin'));
    return true;
  };
  return (
    <div className="team-panel" data-testid="my-pin">
      {problem && (
        <p className="error" role="alert" data-testid="team-problem">
          {t(`team.errors.${problem}`)}
        </p>
      )}
      <OwnPin onProblem={setProblem} onChange={change} />
    </div>
  );
}

function OwnPin(props: {
  onChange: (current: string, next: string) => Promise<boolean>;
  onProblem: (p: string) => void;
}) {
  const { t } = useTranslation();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [next2, setNext2] = useState('');
  const submit = (ev: FormEvent): void => {
    ev.preventDefault();
    if (!PIN.test(current) || !PIN.test(next)) return props.onProblem('pinFormat');
    if (next !== next2) return props.onProblem('pinsDiffer');
    void props.onChange(current, next).then((ok) => {
      if (!ok) return;
      setCurrent('');
      setNext('');
      setNext2('');
    });
  };
  return (
    <form className="panel team-form" data-testid="team-own-pin" onSubmit={submit}>
      <h3>{t('team.own.title')}</h3>
      <label>
        {t('team.own.current')}
        <input
          type="password"
          inputMode="numeric"
          autoComplete="current-password"
          data-testid="team-own-current"
          value={current}
          maxLength={8}
          onChange={(e) => setCurrent(e.target.value)}
        />
      </label>
      <label>
        {t('team.own.next')}
        <input
          type="password"
          inputMode="numeric"
          autoComplete="new-password"
          data-testid="team-own-next"
          value={next}
          maxLength={8}
          onChange={(e) => setNext(e.target.value)}
        />
      </label>
      <label>
        {t('team.own.next2')}
        <input
          type="password"
          inputMode="numeric"
          autoComplete="new-password"
          data-testid="team-own-next2"
          value={next2}
          maxLength={8}
          onChange={(e) => setNext2(e.target.value)}
        />
      </label>
      <button type="submit" data-testid="team-own-submit">
        {t('team.own.submit')}
      </button>
    </form>
  );
}
