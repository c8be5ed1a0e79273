/** The one-time password, shown once, with a clear warning and a dismiss button. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

export function OneTimePassword({ username, password, onDismiss }: { username: string; password: string; onDismiss: () => void }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(password);
      setCopied(true);
    } catch {
      /* clipboard not available (plain http): the password is on screen to write down */
    }
  };
  return (
    <section className="otp" data-testid="one-time-password" role="status" aria-labelledby="otp-title">
      <h3 id="otp-title">{t('accounts.otpTitle', { username })}</h3>
      <p className="otp-warning">{t('accounts.otpWarning')}</p>
      <p className="otp-row">
        <span className="visually-hidden">{t('accounts.otpLabel')}: </span>
        <code className="otp-value">{password}</code>
        {typeof navigator !== 'undefined' && navigator.clipboard && (
          <button type="button" className="button button--quiet" onClick={copy}>
            {copied ? t('accounts.copied') : t('accounts.copy')}
          </button>
        )}
      </p>
      <button type="button" className="button" onClick={onDismiss}>
        {t('common.dismiss')}
      </button>
    </section>
  );
}
