import { describe, expect, it } from 'vitest';
import { EN, KM } from '../i18n/catalogues';
import { campaignMessage } from './validate';
import { END_FIXED_MESSAGE, KEEP_HEALTH_MESSAGE, START_FIXED_MESSAGE, notBeforeTodayMessage, overlapMessage, wholeWeeksMessage } from '../../core/campaigns';

type Tree = { [k: string]: string | Tree };
const at = (tree: Tree, key: string) => key.split('.').reduce<string | Tree | undefined>((v, k) => (v && typeof v === 'object' ? v[k] : undefined), tree);

describe("the server's fixed-date messages for health campaigns", () => {
  it('each map to a catalogue key present in both languages, with the dates and name kept', () => {
    const cases: [string, string, Record<string, unknown>?][] = [
      [notBeforeTodayMessage('2026-12-02'), 'campaigns.errors.notBeforeToday', { date: '2026-12-02' }],
      [START_FIXED_MESSAGE, 'campaigns.errors.startFixed'],
      [END_FIXED_MESSAGE, 'campaigns.errors.endFixed'],
      [KEEP_HEALTH_MESSAGE, 'campaigns.errors.keepHealth'],
      [wholeWeeksMessage('2026-12-02', '2026-12-31', '2026-12-02'), 'campaigns.errors.wholeWeeksOr', { a: '2026-12-29', b: '2027-01-05' }],
      [wholeWeeksMessage('2026-12-02', '2026-12-04', '2026-12-02'), 'campaigns.errors.wholeWeeks', { date: '2026-12-08' }],
      [overlapMessage({ nameEn: 'Dry season (2026)', startDate: '2026-12-09', endDate: '2026-12-15' }), 'campaigns.errors.overlap', { name: 'Dry season (2026)', from: '2026-12-09', to: '2026-12-15' }],
      [overlapMessage({ nameEn: 'Open one', startDate: '2026-12-09', endDate: null }), 'campaigns.errors.overlapOpen', { name: 'Open one', from: '2026-12-09' }],
    ];
    for (const [message, key, opts] of cases) {
      expect(campaignMessage(message), message).toEqual(opts ? { key, opts } : { key });
      expect(typeof at(EN as Tree, key), key).toBe('string');
      expect(typeof at(KM as Tree, key), key).toBe('string');
    }
  });
});
