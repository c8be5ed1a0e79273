/**
 * The device store's door: set a passphrase on first use (online, signed in), unlock it afterwards, say clearly
 * when the data was wiped (revoked device, disabled account, the worker's choice). The outreach pages render only
 * once the store is unlocked; locking unmounts them, and with them every typed value.
 */
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { MIN_PASSPHRASE_LENGTH } from '../offline/crypto';
import { setOwnerMismatch, setSessionMode, startSyncTriggers, syncNow } from '../offline/engine';
import { useSessionMode, useVault } from '../offline/hooks';
import { vault } from '../offline/vault';
import { useOptionalSession } from '../shell/session';
import { Notice, TextField } from '../ui/Field';
import { useFmt } from './ui';

export function Gate({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const v = useVault();
  const session = useOptionalSession();
  const [, mismatch] = useSessionMode();
  const username = session?.me.username ?? null;

  useEffect(() => {
    startSyncTriggers();
    void vault.init();
  }, []);
  useEffect(() => {
    setSessionMode(username ? 'online' : 'offline');
  }, [username]);
  useEffect(() => {
    if (v.status !== 'unlocked' || !username) return;
    let alive = true;
    void vault.isOwner(username).then((ok) => alive && setOwnerMismatch(!ok));
    return () => {
      alive = false;
    };
  }, [v.status, username]);

  switch (v.status) {
    case 'checking':
      return <p role="status">{t('app.loading')}</p>;
    case 'wiped':
      return <Wiped />;
    case 'none':
      return username ? <SetUp username={username} /> : <Notice kind="info">{t('outreach.gate.needOnline')}</Notice>;
    case 'locked':
      return <Unlock />;
    case 'unlocked':
      return (
        <>
          {mismatch === 'true' && <Notice kind="error">{t('outreach.gate.otherAccount')}</Notice>}
          {children}
        </>
      );
  }
}

function Wiped() {
  const { t } = useTranslation();
  const v = useVault();
  return (
    <div className="notice notice--error ow-wiped" role="alert" data-testid="device-wiped">
      <div className="notice-body">
        <p>
          <strong>{t(`outreach.gate.wiped.${v.wipeReason ?? 'manual'}`)}</strong>
        </p>
        <p>{t('outreach.gate.wipedDetail')}</p>
        <button type="button" className="button" onClick={() => vault.acknowledgeWipe()}>
          {t('outreach.gate.wipedOk')}
        </button>
      </div>
    </div>
  );
}

function SetUp({ username }: { username: string }) {
  const { t } = useTranslation();
  const { num } = useFmt();
  const [pass, setPass] = useState('');
  const [again, setAgain] = useState('');
  const [errors, setErrors] = useState<{ pass?: string; again?: string }>({});
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errs: typeof errors = {};
    if (pass.length < MIN_PASSPHRASE_LENGTH) errs.pass = t('outreach.gate.tooShort', { n: num(MIN_PASSPHRASE_LENGTH) });
    else if (pass !== again) errs.again = t('outreach.gate.mismatch');
    setErrors(errs);
    if (Object.keys(errs).length) return;
    setBusy(true);
    try {
      await vault.create(pass, username);
      setPass('');
      setAgain('');
      void syncNow(); // registers the device, then pulls the organisation's clients and hotspots
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card ow-gate" onSubmit={submit} noValidate aria-labelledby="ow-setup-title">
      <h2 id="ow-setup-title" className="form-title">
        {t('outreach.gate.setupTitle')}
      </h2>
      <p>{t('outreach.gate.setupIntro')}</p>
      <TextField
        label={t('outreach.gate.passphrase')}
        type="password"
        autoComplete="new-password"
        value={pass}
        onChange={(e) => setPass(e.target.value)}
        error={errors.pass}
        hint={t('outreach.gate.passphraseHint', { n: num(MIN_PASSPHRASE_LENGTH) })}
      />
      <TextField label={t('outreach.gate.passphraseAgain')} type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} error={errors.again} />
      <button type="submit" className="button button--primary button--block" disabled={busy}>
        {busy ? t('outreach.gate.working') : t('outreach.gate.setup')}
      </button>
    </form>
  );
}

function Unlock() {
  const { t } = useTranslation();
  const [pass, setPass] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!pass) {
      setError(t('outreach.gate.enterPassphrase'));
      return;
    }
    setBusy(true);
    setError(undefined);
    const ok = await vault.unlock(pass).catch(() => false);
    setBusy(false);
    if (!ok) {
      setPass('');
      setError(t('outreach.gate.wrong'));
    }
  };
  return (
    <form className="card ow-gate" onSubmit={submit} noValidate aria-labelledby="ow-unlock-title">
      <h2 id="ow-unlock-title" className="form-title">
        {t('outreach.gate.unlockTitle')}
      </h2>
      <p>{t('outreach.gate.unlockIntro')}</p>
      <TextField
        label={t('outreach.gate.passphrase')}
        type="password"
        autoComplete="current-password"
        autoFocus
        value={pass}
        onChange={(e) => setPass(e.target.value)}
        error={error}
      />
      <button type="submit" className="button button--primary button--block" disabled={busy}>
        {busy ? t('outreach.gate.working') : t('outreach.gate.unlock')}
      </button>
    </form>
  );
}
