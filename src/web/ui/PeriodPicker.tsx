/**
 * The reporting-period picker of the national pages (issue 9): health figures that leave their organisation are
 * asked for a fixed period only, never a date range nor a single day. The reader picks a kind — campaign week,
 * campaign to date (when there is a campaign), ISO week, month, quarter, year — and the period; the value is exactly the
 * `?period=` (+ `campaignId`) of src/core/periods.ts `parsePeriod` (build the query with `periodQuery`).
 *
 *   const [period, setPeriod] = useState<PeriodValue>({ period: '' });
 *   <PeriodPicker value={period} onChange={setPeriod} />
 *   … fetch(`/api/treatment/national?${periodQuery(period)}`) once `period.period` is set
 *
 * An empty (or unusable) value is replaced, once the campaigns are loaded, by the default: the latest complete week
 * of the campaign that began last, else the current month. The campaigns are loaded here (GET /api/campaigns); if
 * they cannot be, the calendar kinds are still offered. Numbers and dates in Khmer digits in Khmer.
 */
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { addDays, todayInCambodia } from '../../core/dates';
import { khmerDigits } from '../../core/press';
import { campaignsApi, type Campaign, type Pillar } from '../campaigns/api';
import { useFormats } from '../enforcement/report/format';
import { SelectField } from './Field';
import { useLoad } from './useAsync';
import {
  CAMPAIGN_KINDS,
  PICKER_KINDS,
  calendarParts,
  calendarSpec,
  campaignWeekOptions,
  defaultChoice,
  isoWeekOptions,
  kindOf,
  monthOptions,
  quarterOptions,
  resolveChoice,
  switchKind,
  withYear,
  yearOptions,
  type PeriodValue,
  type PickerKind,
} from './periodChoice';
import { isoWeekPeriod, quarterPeriod } from '../../core/periods';
import './period-picker.css';

export { periodQuery, readPeriodQuery, defaultChoice, type PeriodValue } from './periodChoice';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] as const;

export interface PeriodPickerProps {
  value: PeriodValue;
  onChange: (v: PeriodValue) => void;
  /** Offer only the campaigns that include this pillar (all campaigns when omitted). */
  pillar?: Pillar;
  /** Today in Cambodia (tests); defaults to the clock. */
  today?: string;
}

export function PeriodPicker({ value, onChange, pillar, today: todayProp }: PeriodPickerProps) {
  const { t } = useTranslation();
  const f = useFormats();
  const today = useMemo(() => todayProp ?? todayInCambodia(), [todayProp]);
  const loaded = useLoad(() => campaignsApi.list());
  const campaigns: Campaign[] = useMemo(
    () => (loaded.data ?? []).filter((c) => !pillar || c.pillars.includes(pillar)).sort((a, b) => b.startDate.localeCompare(a.startDate)),
    [loaded.data, pillar],
  );
  const ready = loaded.data !== undefined || loaded.error !== null;
  const period = resolveChoice(value, campaigns, today);

  // An empty or unusable choice (a campaign that is not in the list…) becomes the default once the list is known.
  useEffect(() => {
    if (ready && !period) onChange(defaultChoice(campaigns, today));
  }, [ready, period, campaigns, today, onChange]);

  const digits = (s: string) => (f.lang === 'km' ? khmerDigits(s) : s);
  const kind: PickerKind | null = period ? kindOf(value.period) : null;
  const kinds = PICKER_KINDS.filter((k) => campaigns.length > 0 || !CAMPAIGN_KINDS.includes(k));
  const campaign = kind && CAMPAIGN_KINDS.includes(kind) ? (campaigns.find((c) => c.id === value.campaignId) ?? null) : null;
  const name = (c: Campaign) => (f.lang === 'km' ? c.nameKm : c.nameEn);
  const calendar = kind === 'iso_week' || kind === 'month' || kind === 'quarter' || kind === 'year' ? kind : null;
  const parts = calendar ? calendarParts(value.period) : null;

  if (!period || !kind) {
    return (
      <fieldset className="period-picker" aria-busy="true">
        <legend>{t('periodPicker.legend')}</legend>
        <p className="period-picker__loading">{t('periodPicker.loading')}</p>
      </fieldset>
    );
  }

  const cday = (n: number) => (campaign ? f.shortDate(addDays(campaign.startDate, n - 1)) : '');
  return (
    <fieldset className="period-picker">
      <legend>{t('periodPicker.legend')}</legend>
      <div className="period-picker__fields">
        <SelectField
          label={t('periodPicker.kind')}
          name="periodKind"
          value={kind}
          onChange={(e) => onChange(switchKind(value, e.target.value as PickerKind, campaigns, today))}
        >
          {kinds.map((k) => (
            <option key={k} value={k}>
              {t(`periodPicker.kinds.${k}`)}
            </option>
          ))}
        </SelectField>
        {campaign && (
          <SelectField
            label={t('periodPicker.campaign')}
            name="periodCampaign"
            value={campaign.id}
            onChange={(e) => onChange(switchKind(value, kind, campaigns, today, e.target.value))}
          >
            {campaigns.map((c) => (
              <option key={c.id} value={c.id}>
                {name(c)}
              </option>
            ))}
          </SelectField>
        )}
        {campaign && kind === 'campaign_week' && (
          <SelectField
            label={t('periodPicker.week')}
            name="periodWeek"
            value={String(period.n)}
            onChange={(e) => onChange({ period: `week:${e.target.value}`, campaignId: campaign.id })}
          >
            {campaignWeekOptions(campaign, today, period.n).map((w) => (
              <option key={w} value={w}>
                {t('periodPicker.campaignWeekOption', { n: f.num(w), from: cday((w - 1) * 7 + 1), to: cday(w * 7) })}
              </option>
            ))}
          </SelectField>
        )}
        {calendar && parts && (
          <SelectField
            label={t('periodPicker.year')}
            name="periodYear"
            value={String(parts.year)}
            onChange={(e) => onChange({ period: withYear(calendar, value.period, Number(e.target.value), today) })}
          >
            {[...new Set([parts.year, ...yearOptions(today, calendar)])]
              .sort((a, b) => b - a)
              .map((y) => (
                <option key={y} value={y}>
                  {digits(String(y))}
                </option>
              ))}
          </SelectField>
        )}
        {calendar === 'iso_week' && parts && (
          <SelectField
            label={t('periodPicker.week')}
            name="periodIsoWeek"
            value={String(parts.n)}
            onChange={(e) => onChange({ period: calendarSpec('iso_week', parts.year, Number(e.target.value)) })}
          >
            {[...new Set([...isoWeekOptions(parts.year, today), parts.n])]
              .sort((a, b) => b - a)
              .map((w) => {
                const p = isoWeekPeriod(parts.year, w);
                return (
                  <option key={w} value={w}>
                    {t('periodPicker.isoWeekOption', { n: f.num(w), from: f.shortDate(p.from), to: f.shortDate(p.to) })}
                  </option>
                );
              })}
          </SelectField>
        )}
        {calendar === 'month' && parts && (
          <SelectField
            label={t('periodPicker.month')}
            name="periodMonth"
            value={String(parts.n)}
            onChange={(e) => onChange({ period: calendarSpec('month', parts.year, Number(e.target.value)) })}
          >
            {[...new Set([...monthOptions(parts.year, today), parts.n])]
              .sort((a, b) => b - a)
              .map((m) => (
                <option key={m} value={m}>
                  {t(`periodPicker.months.${MONTHS[m - 1]}`)}
                </option>
              ))}
          </SelectField>
        )}
        {calendar === 'quarter' && parts && (
          <SelectField
            label={t('periodPicker.quarter')}
            name="periodQuarter"
            value={String(parts.n)}
            onChange={(e) => onChange({ period: calendarSpec('quarter', parts.year, Number(e.target.value)) })}
          >
            {[...new Set([...quarterOptions(parts.year, today), parts.n])]
              .sort((a, b) => b - a)
              .map((q) => {
                const p = quarterPeriod(parts.year, q);
                return (
                  <option key={q} value={q}>
                    {t('periodPicker.quarterOption', { n: f.num(q), from: f.shortDate(p.from), to: f.shortDate(p.to) })}
                  </option>
                );
              })}
          </SelectField>
        )}
      </div>
      <p className="period-picker__covers" data-testid="period-covers">
        {period.from === period.to
          ? t('periodPicker.coversDay', { date: f.date(period.from) })
          : t('periodPicker.covers', { from: f.date(period.from), to: f.date(period.to) })}
      </p>
    </fieldset>
  );
}
