import { describe, expect, it } from 'vitest';
import { defaultCampaign, lastCompleteWeek, readUrl, resolveSelection, selectionProblem, toQuery, weeksSoFar } from './query';

const A = { id: '11111111-1111-4111-8111-111111111111', startDate: '2025-01-01', endDate: null };
const B = { id: '22222222-2222-4222-8222-222222222222', startDate: '2025-03-01', endDate: '2025-03-31' };
const FUTURE = { id: '33333333-3333-4333-8333-333333333333', startDate: '2026-01-01', endDate: null };

describe('report query ⇄ URL', () => {
  it('defaults to the most recent campaign that has begun, and its last complete week', () => {
    // B started ten days before "today": week 1 is the last complete week.
    const sel = resolveSelection(readUrl(''), [A, B, FUTURE], '2025-03-11');
    expect(sel.campaignId).toBe(B.id);
    expect(toQuery(sel)).toBe(`campaignId=${B.id}&period=week%3A1`);
  });

  it('chooses week 1 while the first week is still running, and the last full week later on', () => {
    expect(lastCompleteWeek(A, '2025-01-03')).toBe(1);
    expect(lastCompleteWeek(A, '2025-01-15')).toBe(2); // days 1–14 are past
    expect(lastCompleteWeek(B, '2025-06-01')).toBe(4); // ended after 31 days
    expect(weeksSoFar(A, '2025-01-15')).toBe(3);
    expect(defaultCampaign([FUTURE], '2025-03-11')?.id).toBe(FUTURE.id);
  });

  it('round-trips every kind of period, with the area', () => {
    for (const q of [
      `campaignId=${A.id}&period=week%3A3&province=KH-12&district=1201`,
      `campaignId=${A.id}&period=day%3A5`,
      `campaignId=${A.id}&period=days%3A1-7&province=KH-2`,
      `campaignId=${A.id}&period=to_date`,
      `campaignId=${A.id}&from=2025-01-02&to=2025-01-09`,
      `from=2024-12-01&to=2024-12-31`,
    ]) {
      expect(toQuery(resolveSelection(readUrl(`?${q}`), [A, B], '2025-03-11'))).toBe(q);
    }
  });

  it('drops what is malformed: unknown campaign, bad period, bad province, a district of another province', () => {
    const url = readUrl('?campaignId=nope&period=week:0&province=KH-26&district=1201&from=2025-02-30');
    expect(url).toEqual({});
    expect(readUrl('?province=KH-2&district=1201')).toEqual({ province: 'KH-2' });
    const sel = resolveSelection({ campaignId: '44444444-4444-4444-8444-444444444444', period: 'week:2' }, [A], '2025-03-11');
    expect(sel.campaignId).toBe(A.id);
  });

  it('finds a backwards range before asking the server', () => {
    const sel = resolveSelection(readUrl('?from=2025-01-09&to=2025-01-02'), [], '2025-03-11');
    expect(selectionProblem(sel)).toBe('report.errors.toBeforeFrom');
    const days = resolveSelection(readUrl(`?campaignId=${A.id}&period=days:7-3`), [A], '2025-03-11');
    expect(selectionProblem(days)).toBe('report.errors.toDayBeforeFromDay');
    expect(selectionProblem(resolveSelection(readUrl(''), [A], '2025-03-11'))).toBeNull();
  });
});
