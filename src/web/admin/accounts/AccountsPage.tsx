/** Administrator: accounts list, create form (roles limited by the organisation's sector), disable / enable, reset password. */
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatLocale } from '../../i18n';
import { ROLES, roleFitsSector, type Role } from '../../../core/roles';
import { createAccountBody } from '../../../core/schemas';
import { api } from '../../api/client';
import type { Account, Organisation } from '../../api/types';
import { apiFieldErrors, errorMsg, fieldsText, show, zodFieldErrors, type FieldErrors, type Msg } from '../../i18n/messages';
import { Notice, SelectField, TextField } from '../../ui/Field';
import { OneTimePassword } from '../../ui/OneTimePassword';
import { useLoad } from '../../ui/useAsync';
import { useSession } from '../../shell/session';

type State = 'active' | 'disabled' | 'locked' | 'mustChange';

function accountStates(a: Account, now = Date.now()): State[] {
  const s: State[] = [];
  if (a.disabled) s.push('disabled');
  if (a.lockedUntil && new Date(a.lockedUntil).getTime() > now) s.push('locked');
  if (a.mustChangePassword) s.push('mustChange');
  return s.length ? s : ['active'];
}

const STATE_KEY: Record<State, string> = {
  active: 'accounts.stateActive',
  disabled: 'accounts.stateDisabled',
  locked: 'accounts.stateLocked',
  mustChange: 'accounts.stateMustChange',
};

export function AccountsPage() {
  const { t, i18n } = useTranslation();
  const { me } = useSession();
  const accounts = useLoad(() => api.accounts());
  const orgs = useLoad(() => api.organisations());
  const [otp, setOtp] = useState<{ username: string; password: string } | null>(null);
  const [rowError, setRowError] = useState<unknown>(null);
  const [busyId, setBusyId] = useState<string | null>(null);

  const replace = (a: Account) => accounts.setData((list) => list?.map((x) => (x.id === a.id ? a : x)));
  const fail = (e: unknown) => setRowError(e);

  const toggle = async (a: Account) => {
    setRowError(null);
    setBusyId(a.id);
    try {
      replace(await api.updateAccount(a.id, { disabled: !a.disabled }));
    } catch (e) {
      fail(e);
    } finally {
      setBusyId(null);
    }
  };

  const reset = async (a: Account) => {
    setRowError(null);
    setBusyId(a.id);
    try {
      const r = await api.resetPassword(a.id);
      replace(r.account);
      setOtp({ username: r.account.username, password: r.oneTimePassword });
    } catch (e) {
      fail(e);
    } finally {
      setBusyId(null);
    }
  };

  const dateFmt = useMemo(
    () => new Intl.DateTimeFormat(formatLocale(i18n.language), { dateStyle: 'medium', timeStyle: 'short' }),
    [i18n.language],
  );

  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{t('accounts.title')}</h1>
      <p className="muted">{t('accounts.intro')}</p>

      {otp && <OneTimePassword username={otp.username} password={otp.password} onDismiss={() => setOtp(null)} />}

      <CreateAccount
        organisations={orgs.data ?? []}
        onCreated={(a, password) => {
          accounts.setData((list) => [...(list ?? []), a]);
          setOtp({ username: a.username, password });
        }}
      />

      <h2>{t('accounts.listTitle')}</h2>
      {accounts.error ? <Notice kind="error">{show(t, errorMsg(accounts.error))}</Notice> : null}
      {rowError ? (
        <Notice kind="error" onDismiss={() => setRowError(null)} dismissLabel={t('common.dismiss')}>
          {show(t, errorMsg(rowError))} {fieldsText(t, rowError)}
        </Notice>
      ) : null}
      {accounts.loading && !accounts.data ? (
        <p role="status">{t('app.loading')}</p>
      ) : accounts.data ? (
        <>
          <p className="muted">{t('accounts.count', { count: accounts.data.length })}</p>
          <table className="table table--cards">
            <caption className="visually-hidden">{t('accounts.listTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('accounts.username')}</th>
                <th scope="col">{t('accounts.role')}</th>
                <th scope="col">{t('accounts.organisation')}</th>
                <th scope="col">{t('accounts.state')}</th>
                <th scope="col">{t('accounts.lastLogin')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {accounts.data.map((a) => (
                <tr key={a.id} className={a.disabled ? 'row--muted' : undefined}>
                  <th scope="row" data-label={t('accounts.username')}>
                    {a.username} {a.id === me.id && <span className="muted">{t('accounts.you')}</span>}
                  </th>
                  <td data-label={t('accounts.role')}>{t(`roles.${a.role}`)}</td>
                  <td data-label={t('accounts.organisation')}>{a.organisationName}</td>
                  <td data-label={t('accounts.state')}>
                    <span className="badges">
                      {accountStates(a).map((s) => (
                        <span key={s} className={`badge badge--${s}`}>
                          {t(STATE_KEY[s])}
                        </span>
                      ))}
                    </span>
                  </td>
                  <td data-label={t('accounts.lastLogin')}>{a.lastLoginAt ? dateFmt.format(new Date(a.lastLoginAt)) : t('accounts.never')}</td>
                  <td data-label={t('common.actions')}>
                    <span className="row-actions">
                      {a.id !== me.id && (
                        <button
                          type="button"
                          className="button button--small"
                          disabled={busyId === a.id}
                          aria-label={t(a.disabled ? 'accounts.enableLabel' : 'accounts.disableLabel', { username: a.username })}
                          onClick={() => void toggle(a)}
                        >
                          {t(a.disabled ? 'accounts.enable' : 'accounts.disable')}
                        </button>
                      )}
                      <button
                        type="button"
                        className="button button--small"
                        disabled={busyId === a.id}
                        aria-label={t('accounts.resetLabel', { username: a.username })}
                        onClick={() => void reset(a)}
                      >
                        {t('accounts.resetPassword')}
                      </button>
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}

function CreateAccount({ organisations, onCreated }: { organisations: Organisation[]; onCreated: (a: Account, oneTimePassword: string) => void }) {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [organisationId, setOrganisationId] = useState('');
  const [role, setRole] = useState<Role | ''>('');
  const [fields, setFields] = useState<FieldErrors>({});
  const [error, setError] = useState<Msg | null>(null);
  const [busy, setBusy] = useState(false);

  const active = organisations.filter((o) => o.status === 'active');
  const org = active.find((o) => o.id === organisationId);
  const roles = org ? ROLES.filter((r) => roleFitsSector(r, org.sector)) : [];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const parsed = createAccountBody.safeParse({ username, role, organisationId });
    if (!parsed.success) {
      setFields(zodFieldErrors(parsed.error));
      setError({ key: 'common.formHasErrors' });
      return;
    }
    setFields({});
    setBusy(true);
    try {
      const r = await api.createAccount(parsed.data);
      onCreated(r.account, r.oneTimePassword);
      setUsername('');
      setRole('');
    } catch (err) {
      const f = apiFieldErrors(err, ['username', 'role', 'organisationId']);
      setFields(f);
      setError(Object.keys(f).length ? { key: 'common.formHasErrors' } : errorMsg(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card form-grid" onSubmit={submit} noValidate aria-labelledby="account-create-title">
      <h2 id="account-create-title" className="form-title">
        {t('accounts.createTitle')}
      </h2>
      {error && <Notice kind="error">{show(t, error)}</Notice>}
      <TextField
        label={t('accounts.username')}
        name="username"
        autoCapitalize="none"
        autoComplete="off"
        spellCheck={false}
        value={username}
        onChange={(e) => setUsername(e.target.value)}
        error={show(t, fields.username)}
        hint={t('accounts.usernameHint')}
      />
      <SelectField
        label={t('accounts.organisation')}
        name="organisationId"
        value={organisationId}
        onChange={(e) => {
          setOrganisationId(e.target.value);
          const o = active.find((x) => x.id === e.target.value);
          const fit = o ? ROLES.filter((r) => roleFitsSector(r, o.sector)) : [];
          setRole(fit.length === 1 ? fit[0] : role && o && roleFitsSector(role, o.sector) ? role : '');
        }}
        error={show(t, fields.organisationId)}
      >
        <option value="">{t('common.choose')}</option>
        {active.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name} — {t(`sectors.${o.sector}`)}
          </option>
        ))}
      </SelectField>
      <SelectField
        label={t('accounts.role')}
        name="role"
        value={role}
        disabled={!org || roles.length === 0}
        onChange={(e) => setRole(e.target.value as Role | '')}
        error={show(t, fields.role)}
        hint={org && roles.length === 0 ? t('accounts.noRoleFits') : undefined}
      >
        <option value="">{org ? t('common.choose') : t('accounts.chooseOrganisationFirst')}</option>
        {roles.map((r) => (
          <option key={r} value={r}>
            {t(`roles.${r}`)}
          </option>
        ))}
      </SelectField>
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? t('common.working') : t('accounts.create')}
        </button>
      </div>
    </form>
  );
}
