/** Client-side checks of the campaign form (the server checks again); messages are catalogue keys. */
import type { Msg } from '../i18n/messages';
import { messageOf } from '../i18n/messages';
import { ISO_DATE } from '../../core/dates';
import type { CampaignBody } from './api';

const KHMER = /[\u1780-\u17FF]/;
const MARKUP = /[<>\u0000-\u001f]/;

export type CampaignErrors = Partial<Record<keyof CampaignBody, Msg>>;

function name(v: string, khmer: boolean): Msg | undefined {
  const s = v.trim();
  if (!s) return { key: 'validation.required' };
  if (s.length < 2) return { key: 'validation.minChars', opts: { n: 2 } };
  if (s.length > 200) return { key: 'validation.maxChars', opts: { n: 200 } };
  if (MARKUP.test(s)) return { key: 'validation.noMarkup' };
  if (khmer && !KHMER.test(s)) return { key: 'validation.khmerScript' };
  return undefined;
}

export function validateCampaign(b: CampaignBody): CampaignErrors {
  const e: CampaignErrors = {};
  const en = name(b.nameEn, false);
  if (en) e.nameEn = en;
  const km = name(b.nameKm, true);
  if (km) e.nameKm = km;
  if (!b.startDate) e.startDate = { key: 'validation.required' };
  else if (!ISO_DATE.test(b.startDate)) e.startDate = { key: 'campaigns.errors.date' };
  if (b.endDate && !ISO_DATE.test(b.endDate)) e.endDate = { key: 'campaigns.errors.date' };
  else if (b.endDate && b.startDate && b.endDate < b.startDate) e.endDate = { key: 'campaigns.errors.endBeforeStart' };
  if (b.pillars.length === 0) e.pillars = { key: 'campaigns.errors.pillars' };
  return e;
}

/** The server's campaign messages that the shared catalogue does not know. */
export function campaignMessage(message: string): Msg {
  if (/^must not be before the start date$/.test(message)) return { key: 'campaigns.errors.endBeforeStart' };
  if (/^choose at least one pillar$/.test(message)) return { key: 'campaigns.errors.pillars' };
  if (/^must be a date/.test(message)) return { key: 'campaigns.errors.date' };
  // the fixed dates of health campaigns (src/core/campaigns.ts)
  let m = /^must be today \((\d{4}-\d{2}-\d{2})\) or later for a health campaign$/.exec(message);
  if (m) return { key: 'campaigns.errors.notBeforeToday', opts: { date: m[1] } };
  if (/^cannot change once the campaign has started$/.test(message)) return { key: 'campaigns.errors.startFixed' };
  if (/^cannot change once the campaign has ended$/.test(message)) return { key: 'campaigns.errors.endFixed' };
  if (/^must keep a health pillar/.test(message)) return { key: 'campaigns.errors.keepHealth' };
  m = /^must end a whole campaign week \(.*: (\d{4}-\d{2}-\d{2})(?: or (\d{4}-\d{2}-\d{2}))?\)$/.exec(message);
  if (m) return m[2] ? { key: 'campaigns.errors.wholeWeeksOr', opts: { a: m[1], b: m[2] } } : { key: 'campaigns.errors.wholeWeeks', opts: { date: m[1] } };
  m = /^overlaps the health campaign (.+) \((\d{4}-\d{2}-\d{2}) – (\d{4}-\d{2}-\d{2}|open)\)$/.exec(message);
  if (m) return m[3] === 'open' ? { key: 'campaigns.errors.overlapOpen', opts: { name: m[1], from: m[2] } } : { key: 'campaigns.errors.overlap', opts: { name: m[1], from: m[2], to: m[3] } };
  return messageOf(message);
}
