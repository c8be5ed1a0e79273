/** Choose a new password (forced after a one-time password, or from the menu). Validated with changePasswordBody. */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { changePasswordBody, PASSWORD_MIN } from '../../core/schemas';
import { api, ApiError } from '../api/client';
import { apiFieldErrors, errorMsg, show, zodFieldErrors, type FieldErrors, type Msg } from '../i18n/messages';
import { Notice, TextField } from '../ui/Field';
import { useSession } from '../shell/session';

export function ChangePassword() {
  const { t } = useTranslation();
  const { me, setMe } = useSession();
  const forced = me.mustChangePassword;
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [fields, setFields] = useState<FieldErrors>({});
  const [error, setError] = useState<Msg | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setDone(false);
    const parsed = changePasswordBody.safeParse({ currentPassword: current, newPassword: next });
    const f: FieldErrors = parsed.success ? {} : zodFieldErrors(parsed.error);
    if (!f.newPassword && next !== repeat) f.repeat = { key: 'password.mismatch' };
    setFields(f);
    if (!parsed.success || Object.keys(f).length) return;
    setBusy(true);
    try {
      const account = await api.changePassword(parsed.data.currentPassword, parsed.data.newPassword);
      setCurrent('');
      setNext('');
      setRepeat('');
      setDone(true);
      setMe(account);
    } catch (err) {
      const af = apiFieldErrors(err, ['currentPassword', 'newPassword']);
      setFields(af);
      if (!Object.keys(af).length || !(err instanceof ApiError) || err.code !== 'invalid_input') setError(errorMsg(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="page page--narrow" aria-labelledby="page-title">
      <h1 id="page-title">{forced ? t('password.title') : t('password.changeTitle')}</h1>
      {forced && <Notice kind="info">{t('password.mustChangeIntro')}</Notice>}
      <p>{t('password.intro', { min: PASSWORD_MIN })}</p>
      {done && <Notice kind="success">{t('password.changed')}</Notice>}
      {error && <Notice kind="error">{show(t, error)}</Notice>}
      <form className="card" onSubmit={submit} noValidate>
        <TextField
          label={t('password.current')}
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          error={show(t, fields.currentPassword)}
        />
        <TextField
          label={t('password.new')}
          name="newPassword"
          type="password"
          autoComplete="new-password"
          minLength={PASSWORD_MIN}
          value={next}
          onChange={(e) => setNext(e.target.value)}
          error={show(t, fields.newPassword)}
          hint={t('password.hint', { min: PASSWORD_MIN })}
        />
        <TextField
          label={t('password.repeat')}
          name="repeatPassword"
          type="password"
          autoComplete="new-password"
          value={repeat}
          onChange={(e) => setRepeat(e.target.value)}
          error={show(t, fields.repeat)}
        />
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? t('password.saving') : t('password.save')}
        </button>
      </form>
    </section>
  );
}
