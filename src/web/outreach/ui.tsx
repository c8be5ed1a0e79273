/** Small controls of the outreach pages: number steppers (Khmer or Latin digits), choice tiles, number formats. */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { khmerDigits } from '../../core/press';
import { formatLocale } from '../i18n';
import { parseCount } from './records';

export function useFmt() {
  const { i18n } = useTranslation();
  const km = i18n.language === 'km';
  const loc = formatLocale(i18n.language);
  const digits = (s: string) => (km ? khmerDigits(s) : s);
  return {
    km,
    num: (n: number) => digits(String(n)),
    time: (iso: string) => digits(new Date(iso).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Phnom_Penh' })),
    dateTime: (iso: string) =>
      digits(new Date(iso).toLocaleString(loc === 'km-KH' ? 'km-KH' : 'en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Phnom_Penh' })),
    date: (ymd: string) => digits(ymd),
  };
}

export function Stepper({
  label,
  value,
  onChange,
  error,
  quick = [],
  testId,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  error?: string;
  /** Extra "+n" buttons (e.g. a pack of 10). */
  quick?: number[];
  testId?: string;
}) {
  const { t } = useTranslation();
  const { num } = useFmt();
  const id = useId();
  const n = parseCount(value);
  const step = (d: number) => onChange(num(Math.max(0, (n ?? 0) + d)));
  return (
    <div className={`field stepper${error ? ' field--error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <div className="stepper-row">
        <button type="button" className="button stepper-button" aria-label={t('outreach.stepper.less', { label })} onClick={() => step(-1)} disabled={!n}>
          −
        </button>
        <input
          id={id}
          data-testid={testId}
          type="text"
          inputMode="numeric"
          autoComplete="off"
          value={value}
          placeholder={num(0)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-err` : undefined}
          onChange={(e) => onChange(e.target.value)}
          onFocus={(e) => e.target.select()}
        />
        <button type="button" className="button stepper-button" aria-label={t('outreach.stepper.more', { label })} onClick={() => step(1)}>
          +
        </button>
        {quick.map((q) => (
          <button key={q} type="button" className="button stepper-button stepper-quick" aria-label={t('outreach.stepper.addN', { label, n: q })} onClick={() => step(q)}>
            +{num(q)}
          </button>
        ))}
      </div>
      {error && (
        <p className="field-error" id={`${id}-err`} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

export function ChoiceTiles<T extends string>({
  legend,
  name,
  options,
  value,
  onChange,
  label,
  error,
}: {
  legend: string;
  name: string;
  options: readonly T[];
  value: T | '';
  onChange: (v: T) => void;
  label: (v: T) => string;
  error?: string;
}) {
  const id = useId();
  return (
    <fieldset className={`case-fieldset${error ? ' field--error' : ''}`} aria-describedby={error ? `${id}-err` : undefined}>
      <legend>{legend}</legend>
      <div className="choice-tiles">
        {options.map((o) => (
          <label key={o} className={`choice-tile${value === o ? ' choice-tile--on' : ''}`}>
            <input type="radio" name={name} value={o} checked={value === o} onChange={() => onChange(o)} aria-invalid={error ? true : undefined} />
            <span>{label(o)}</span>
          </label>
        ))}
      </div>
      {error && (
        <p className="field-error" id={`${id}-err`} role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}
