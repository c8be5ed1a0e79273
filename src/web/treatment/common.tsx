/** Pieces shared by the treatment pages: number, rate and suppressed-count formats, the period choice, a centre's name. */
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { addDays, daysBetween, isValidDate, todayInCambodia } from '../../core/dates';
import { khmerDigits } from '../../core/press';
import type { Published } from '../../core/suppression';
import type { CentreDto } from '../../core/treatment';
import { useFormats, type Formats } from '../enforcement/report/format';
import { ApiError } from '../api/client';
import { errorMsg, show, type Msg } from '../i18n/messages';
import { treatmentMessage } from './messages';
import { Notice, TextField } from '../ui/Field';
import './treatment.css';

export interface TreatmentFormats extends Formats {
  /** A published count: a number, "<5" (1–4 people) or "*" (hidden so that a small count cannot be worked out). */
  pub: (p: Published) => string;
  /** A rate 0–1 as a whole percentage, or "—" when it is not given. */
  pct: (r: number | null | undefined) => string;
  /** A date YYYY-MM-DD as digits in the reader's script (for dates in lists). */
  ymd: (d: string) => string;
}

export function useTreatmentFormats(): TreatmentFormats {
  const f = useFormats();
  return useMemo(() => {
    const digits = (s: string) => (f.lang === 'km' ? khmerDigits(s) : s);
    return {
      ...f,
      pub: (p: Published) => (typeof p === 'number' ? f.num(p) : digits(p)),
      pct: (r: number | null | undefined) => (r === null || r === undefined || !Number.isFinite(r) ? '—' : `${f.num(Math.round(r * 100))}%`),
      ymd: digits,
    };
  }, [f]);
}

/** A published count as a number for a chart: hidden counts are drawn as 0 (the table shows the mark). */
export const chartValue = (p: Published): number => (typeof p === 'number' ? p : 0);

/** The centre's name in the reader's language (the Khmer name when there is one). */
export function useCentreName() {
  const { i18n } = useTranslation();
  return (c: Pick<CentreDto, 'name' | 'nameKm'> | undefined | null) => (c ? (i18n.language === 'km' && c.nameKm ? c.nameKm : c.name) : '');
}

export interface Period {
  from: string;
  to: string;
}

/** The contract's default period: the twelve weeks up to today. */
export function defaultPeriod(today: string = todayInCambodia()): Period {
  return { from: addDays(today, -83), to: today };
}

/** A problem with a chosen period (catalogue key), or null. */
export function periodProblem(p: Period): string | null {
  if (!isValidDate(p.from) || !isValidDate(p.to)) return 'treatment.period.datesRequired';
  if (p.to < p.from) return 'treatment.period.toBeforeFrom';
  if (daysBetween(p.from, p.to) > 5 * 366) return 'treatment.validation.rangeTooLong';
  return null;
}

export function usePeriod() {
  const [period, setPeriod] = useState<Period>(() => defaultPeriod());
  return { period, setPeriod, problem: periodProblem(period) };
}

/** From / to dates; a changed date is applied at once. */
export function PeriodControls({ period, onChange, problem }: { period: Period; onChange: (p: Period) => void; problem: string | null }) {
  const { t } = useTranslation();
  const today = todayInCambodia();
  return (
    <form className="card tr-period" onSubmit={(e) => e.preventDefault()} aria-label={t('treatment.period.label')}>
      <TextField
        label={t('treatment.period.from')}
        name="from"
        type="date"
        value={period.from}
        max={period.to || today}
        onChange={(e) => onChange({ ...period, from: e.target.value })}
        error={problem === 'treatment.period.toBeforeFrom' ? t(problem) : undefined}
      />
      <TextField label={t('treatment.period.to')} name="to" type="date" value={period.to} min={period.from || undefined} max={today} onChange={(e) => onChange({ ...period, to: e.target.value })} />
      {problem && problem !== 'treatment.period.toBeforeFrom' && <Notice kind="error">{t(problem)}</Notice>}
    </form>
  );
}

/** A load failure with a retry button. */
export function LoadFailed({ error, retry, what }: { error: unknown; retry: () => void; what?: string }) {
  const { t } = useTranslation();
  const msg = useMsg();
  const fields = error instanceof ApiError ? error.fields.map((f) => msg(treatmentMessage(f.message))).join(' ') : '';
  return (
    <Notice kind="error">
      {what ? `${what} ` : ''}
      {show(t, errorMsg(error))} {fields}{' '}
      <button type="button" className="button button--quiet" onClick={retry}>
        {t('common.retry')}
      </button>
    </Notice>
  );
}

export function Loading({ text }: { text?: string }) {
  const { t } = useTranslation();
  return (
    <p className="rpt-loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {text ?? t('app.loading')}
    </p>
  );
}

/** The labels every chart panel needs. */
export function usePanelLabels() {
  const { t } = useTranslation();
  return { showTable: t('treatment.chart.showTable'), hideTable: t('treatment.chart.hideTable'), downloadCsv: t('treatment.chart.downloadCsv') };
}

/** A message in the reader's language, with its date and number in the reader's script. */
export function useMsg() {
  const { t } = useTranslation();
  const f = useTreatmentFormats();
  return (m: Msg | null | undefined): string | undefined => {
    if (!m) return undefined;
    if (!('key' in m) || !m.opts) return show(t, m);
    const opts: Record<string, unknown> = { ...m.opts };
    if (typeof opts.date === 'string' && isValidDate(opts.date)) opts.date = f.date(opts.date);
    if (typeof opts.n === 'number') opts.n = f.num(opts.n);
    return t(m.key, opts);
  };
}

/** True on a narrow screen (a phone held upright): long series read better as horizontal bars there. */
export function useNarrow(maxWidth = 639): boolean {
  const query = `(max-width: ${maxWidth}px)`;
  const get = () => typeof window !== 'undefined' && typeof window.matchMedia === 'function' && window.matchMedia(query).matches;
  const [narrow, setNarrow] = useState(get);
  useEffect(() => {
    if (typeof window.matchMedia !== 'function') return;
    const m = window.matchMedia(query);
    const on = () => setNarrow(m.matches);
    m.addEventListener?.('change', on);
    return () => m.removeEventListener?.('change', on);
  }, [query]);
  return narrow;
}
