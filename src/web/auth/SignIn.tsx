/** Sign in: username and password; API errors next to the fields, special messages for locked and rate-limited. */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatLocale } from '../i18n';
import { loginBody } from '../../core/schemas';
import { api, ApiError } from '../api/client';
import type { Me } from '../api/types';
import { apiFieldErrors, errorMsg, show, zodFieldErrors, type FieldErrors, type Msg } from '../i18n/messages';
import { Notice, TextField } from '../ui/Field';
import { LanguageSwitch } from '../shell/LanguageSwitch';

export function SignIn({ onSignedIn, reason }: { onSignedIn: (me: Me) => void; reason?: 'sessionExpired' | 'signedOut' | null }) {
  const { t, i18n } = useTranslation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [fields, setFields] = useState<FieldErrors>({});
  const [error, setError] = useState<Msg[] | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const parsed = loginBody.safeParse({ username, password });
    if (!parsed.success) {
      setFields(zodFieldErrors(parsed.error));
      return;
    }
    setFields({});
    setBusy(true);
    try {
      const me = await api.login(parsed.data.username, parsed.data.password);
      onSignedIn(me);
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError) {
        const f = apiFieldErrors(err, ['username', 'password']);
        setFields(f);
        const msg: Msg[] = [errorMsg(err)];
        if (err.code === 'locked' && typeof err.body.lockedUntil === 'string') {
          const time = new Date(err.body.lockedUntil).toLocaleTimeString(formatLocale(i18n.language), { hour: '2-digit', minute: '2-digit' });
          msg.push({ key: 'auth.lockedUntil', opts: { time } });
        }
        // Field errors are shown next to the fields; the banner is for everything else.
        if (!(err.code === 'invalid_input' && Object.keys(f).length > 0)) setError(msg);
        if (err.code === 'bad_credentials') setPassword('');
      } else {
        setError([{ key: 'errors.generic' }]);
      }
    }
  };

  return (
    <div className="signin-page">
      <header className="signin-header">
        <span className="brand">{t('app.name')}</span>
        <LanguageSwitch />
      </header>
      <main id="main" className="signin-main">
        <form className="card signin-card" onSubmit={submit} noValidate aria-labelledby="signin-title">
          <h1 id="signin-title">{t('auth.signInTitle')}</h1>
          <p className="muted">{t('app.tagline')}</p>
          {reason && !error && <Notice kind="info">{t(`auth.${reason}`)}</Notice>}
          {error && <Notice kind="error">{error.map((m) => show(t, m)).join(' ')}</Notice>}
          <p>{t('auth.signInIntro')}</p>
          <TextField
            label={t('auth.username')}
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            error={show(t, fields.username)}
          />
          <TextField
            label={t('auth.password')}
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={show(t, fields.password)}
          />
          <button type="submit" className="button button--primary button--block" disabled={busy}>
            {busy ? t('auth.signingIn') : t('auth.signIn')}
          </button>
        </form>
      </main>
    </div>
  );
}
