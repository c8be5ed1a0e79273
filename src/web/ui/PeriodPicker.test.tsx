import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import i18n from '../i18n';
import { addDays } from '../../core/dates';
import { parseHealthPeriod } from '../../core/periods';
import { campaignsApi, type Campaign } from '../campaigns/api';
import { PeriodPicker, periodQuery, type PeriodValue } from './PeriodPicker';
import { defaultChoice, switchKind } from './periodChoice';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const TODAY = '2026-11-30';
const CAMPAIGN: Campaign = {
  id: '33333333-3333-4333-8333-333333333333',
  nameEn: 'National campaign',
  nameKm: 'យុទ្ធនាការជាតិ',
  startDate: addDays(TODAY, -19), // day 20 today: weeks 1 and 2 are complete
  endDate: null,
  pillars: ['enforcement', 'treatment', 'harm_reduction', 'education'],
};

/** The picker in a page that keeps its value, with every value it was given recorded. */
function mount(campaigns: Campaign[], start: PeriodValue = { period: '' }) {
  vi.spyOn(campaignsApi, 'list').mockResolvedValue(campaigns);
  const seen: PeriodValue[] = [];
  function Page() {
    const [v, setV] = useState<PeriodValue>(start);
    return (
      <>
        <PeriodPicker
          value={v}
          today={TODAY}
          onChange={(x) => {
            seen.push(x);
            setV(x);
          }}
        />
        <output data-testid="query">{v.period ? periodQuery(v) : ''}</output>
      </>
    );
  }
  render(<Page />);
  return seen;
}

const query = () => screen.getByTestId('query').textContent;
/** Every value the picker produced is a period the server accepts. */
function allAccepted(seen: PeriodValue[], campaigns: Campaign[]) {
  for (const v of seen) {
    const c = campaigns.find((x) => x.id === v.campaignId) ?? null;
    const r = parseHealthPeriod(v.period, c, TODAY);
    expect(r.ok, JSON.stringify(v)).toBe(true);
  }
}

describe('PeriodPicker', () => {
  it('starts on the latest complete campaign week and produces periods the server releases health figures for, for every kind it offers', async () => {
    await i18n.changeLanguage('en');
    const seen = mount([CAMPAIGN]);
    await waitFor(() => expect(query()).toBe(`period=week%3A2&campaignId=${CAMPAIGN.id}`));
    expect(screen.getByTestId('period-covers').textContent).toMatch(/^From 18 Nov 2026 to 24 Nov 2026$/);

    const kind = screen.getByLabelText('Kind of period');
    // no campaign days nor single days: figures of health data are not released for them
    const kinds = [...(kind as HTMLSelectElement).options].map((o) => o.value);
    expect(kinds).toEqual(['campaign_week', 'campaign_to_date', 'iso_week', 'month', 'quarter', 'year']);
    await act(async () => fireEvent.change(kind, { target: { value: 'campaign_to_date' } }));
    expect(query()).toBe(`period=to_date&campaignId=${CAMPAIGN.id}`);

    await act(async () => fireEvent.change(kind, { target: { value: 'month' } }));
    expect(query()).toBe('period=2026-10'); // the month campaign to date ends in is not over: the last month that is
    await act(async () => fireEvent.change(screen.getByLabelText('Month'), { target: { value: '2' } }));
    expect(query()).toBe('period=2026-02');
    await act(async () => fireEvent.change(screen.getByLabelText('Year'), { target: { value: '2025' } }));
    expect(query()).toBe('period=2025-02');
    await act(async () => fireEvent.change(kind, { target: { value: 'quarter' } }));
    expect(query()).toBe('period=2025-Q1');
    await act(async () => fireEvent.change(kind, { target: { value: 'year' } }));
    expect(query()).toBe('period=2025');
    await act(async () => fireEvent.change(kind, { target: { value: 'iso_week' } }));
    // the week that holds the year's last day: 31 December 2025 is a Wednesday, in ISO week 1 of 2026
    expect(query()).toBe('period=2026-W01');
    allAccepted(seen, [CAMPAIGN]);
    // No future period is offered: this year's months stop at the current one.
    await act(async () => fireEvent.change(kind, { target: { value: 'month' } }));
    await act(async () => fireEvent.change(screen.getByLabelText('Year'), { target: { value: '2026' } }));
    const months = [...(screen.getByLabelText('Month') as HTMLSelectElement).options].map((o) => o.value);
    expect(months[0]).toBe('10');
    expect(months).not.toContain('12');
  });

  it('without a campaign offers calendar periods only and starts on the current month', async () => {
    await i18n.changeLanguage('en');
    const seen = mount([]);
    await waitFor(() => expect(query()).toBe('period=2026-10'));
    const kinds = [...(screen.getByLabelText('Kind of period') as HTMLSelectElement).options].map((o) => o.value);
    expect(kinds).toEqual(['iso_week', 'month', 'quarter', 'year']);
    allAccepted(seen, []);
  });

  it('replaces a campaign day (from an old link) by the default week', async () => {
    await i18n.changeLanguage('en');
    mount([CAMPAIGN], { period: 'day:3', campaignId: CAMPAIGN.id });
    await waitFor(() => expect(query()).toBe(`period=week%3A2&campaignId=${CAMPAIGN.id}`));
  });

  it('keeps a given value, and replaces one whose campaign is unknown', async () => {
    await i18n.changeLanguage('en');
    mount([CAMPAIGN], { period: '2026-Q3' });
    await waitFor(() => expect(screen.getByLabelText('Quarter')).toBeTruthy());
    expect(query()).toBe('period=2026-Q3');
    cleanup();
    mount([CAMPAIGN], { period: 'week:1', campaignId: '44444444-4444-4444-8444-444444444444' });
    await waitFor(() => expect(query()).toBe(`period=week%3A2&campaignId=${CAMPAIGN.id}`));
  });

  it('speaks Khmer with Khmer digits', async () => {
    await i18n.changeLanguage('km');
    mount([CAMPAIGN]);
    await waitFor(() => expect(screen.getByLabelText('ប្រភេទរយៈពេល')).toBeTruthy());
    const week = screen.getByLabelText('សប្ដាហ៍') as HTMLSelectElement;
    expect(week.selectedOptions[0].textContent).toMatch(/^សប្ដាហ៍ទី២ \(១៨ វិច្ឆិកា – ២៤ វិច្ឆិកា\)$/);
    await act(async () => fireEvent.change(screen.getByLabelText('ប្រភេទរយៈពេល'), { target: { value: 'year' } }));
    expect((screen.getByLabelText('ឆ្នាំ') as HTMLSelectElement).selectedOptions[0].textContent).toBe('២០២៥');
    await i18n.changeLanguage('en');
  });
});

describe('period choice helpers', () => {
  it('default: the latest complete campaign week of the campaign that began last, else the current month', () => {
    const later = { ...CAMPAIGN, id: '55555555-5555-4555-8555-555555555555', startDate: addDays(TODAY, -3) };
    const future = { ...CAMPAIGN, id: '66666666-6666-4666-8666-666666666666', startDate: addDays(TODAY, 5) };
    expect(defaultChoice([CAMPAIGN, later, future], TODAY)).toEqual({ period: 'week:1', campaignId: later.id });
    expect(defaultChoice([future], TODAY)).toEqual({ period: '2026-10' });
    const ended = { ...CAMPAIGN, endDate: addDays(CAMPAIGN.startDate, 9) }; // 10 days, ended: week 1 complete
    expect(defaultChoice([ended], TODAY)).toEqual({ period: 'week:1', campaignId: CAMPAIGN.id });
  });

  it('switching kind keeps the reader’s place and never goes past today', () => {
    const v = { period: 'week:2', campaignId: CAMPAIGN.id };
    expect(switchKind(v, 'iso_week', [CAMPAIGN], TODAY)).toEqual({ period: '2026-W48' }); // 24 Nov 2026
    expect(switchKind({ period: '2026' }, 'campaign_week', [CAMPAIGN], TODAY)).toEqual({ period: 'week:2', campaignId: CAMPAIGN.id });
    expect(switchKind({ period: '2026' }, 'month', [CAMPAIGN], TODAY)).toEqual({ period: '2026-10' });
  });

  it('periodQuery writes the campaign only with a campaign period', () => {
    expect(periodQuery({ period: 'to_date', campaignId: CAMPAIGN.id })).toBe(`period=to_date&campaignId=${CAMPAIGN.id}`);
    expect(periodQuery({ period: '2026-W48', campaignId: CAMPAIGN.id })).toBe('period=2026-W48');
  });
});
