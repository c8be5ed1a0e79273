import { describe, expect, it } from 'vitest';
import { participantTotal, PARTICIPANT_AGE_BANDS, PARTICIPANT_SEXES, sessionInput, SESSION_SETTINGS, SESSION_TOPICS } from '../../src/core/education.js';
import {
  buildEducationNational,
  educationNationalCsv,
  educationWeeks,
  weekIndex,
  type PeopleCountRow,
  type SessionCountRow,
} from '../../src/core/indicators/education.js';
import { PROVINCE_CODES } from '../../src/core/geography.js';
import { isHidden, SMALL, type Published, type SuppressedTable } from '../../src/core/suppression.js';
import { parseCsv } from '../../src/core/csv.js';

const TODAY = '2026-03-10';
const valid = {
  heldOn: '2026-03-02',
  provinceCode: 'KH-17',
  setting: 'school',
  topic: 'drug_risks',
  participants: { female: { '15_17': 12 }, male: { '15_17': 9, '18_24': 2 } },
};
const paths = (body: unknown) => {
  const r = sessionInput(TODAY).safeParse(body);
  return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
};

describe('sessionInput', () => {
  it('accepts a session and keeps its participants by sex and age band', () => {
    const r = sessionInput(TODAY).parse({ ...valid, districtCode: null });
    expect(r.participants).toEqual(valid.participants);
    expect(participantTotal(r.participants)).toBe(23);
  });

  it('refuses a session with no participant, at participants', () => {
    expect(paths({ ...valid, participants: {} })).toEqual(['participants']);
    expect(paths({ ...valid, participants: { male: { '18_24': 0 }, female: {} } })).toEqual(['participants']);
  });

  it('refuses an unknown field, at the top and inside the participants grid', () => {
    const r = sessionInput(TODAY).safeParse({ ...valid, teacherName: 'x' });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['teacherName'] });
    expect(paths({ ...valid, participants: { male: { '18_24': 3, age12: 1 } } })).toContain('participants.male');
    expect(paths({ ...valid, participants: { boys: { '18_24': 3 } } })).toContain('participants');
  });

  it('refuses a date in the future, and accepts today', () => {
    expect(paths({ ...valid, heldOn: '2026-03-11' })).toEqual(['heldOn']);
    expect(sessionInput(TODAY).safeParse({ ...valid, heldOn: TODAY }).success).toBe(true);
    expect(paths({ ...valid, heldOn: '2026-02-30' })).toEqual(['heldOn']);
  });

  it('refuses negative, fractional and non-number counts at the cell', () => {
    expect(paths({ ...valid, participants: { male: { '18_24': -1 }, female: { '18_24': 4 } } })).toEqual(['participants.male.18_24']);
    expect(paths({ ...valid, participants: { male: { '18_24': 1.5 } } })).toContain('participants.male.18_24');
    expect(paths({ ...valid, participants: { male: { '18_24': '3' } } })).toContain('participants.male.18_24');
  });

  it('refuses unknown codes: setting, topic, province', () => {
    expect(paths({ ...valid, setting: 'temple', topic: 'x', provinceCode: 'KH-99' }).sort()).toEqual(['provinceCode', 'setting', 'topic']);
  });
});

describe('national education view (pure)', () => {
  const range = { from: '2026-01-01', to: '2026-01-20' };

  it('cuts the range in 7-day weeks from `from`, the last one shorter', () => {
    expect(educationWeeks(range)).toEqual([
      { from: '2026-01-01', to: '2026-01-07' },
      { from: '2026-01-08', to: '2026-01-14' },
      { from: '2026-01-15', to: '2026-01-20' },
    ]);
    expect(weekIndex(range, '2026-01-07')).toBe(0);
    expect(weekIndex(range, '2026-01-08')).toBe(1);
    expect(educationWeeks({ from: '2026-01-01', to: '2026-01-01' })).toEqual([{ from: '2026-01-01', to: '2026-01-01' }]);
  });

  const pp = PROVINCE_CODES.indexOf('KH-12');
  const sr = PROVINCE_CODES.indexOf('KH-17');
  const sessions: SessionCountRow[] = [
    { provinceCode: 'KH-12', week: 0, setting: 'school', topic: 'drug_risks', sessions: 1 },
    { provinceCode: 'KH-12', week: 0, setting: 'community', topic: 'life_skills', sessions: 2 },
    { provinceCode: 'KH-17', week: 2, setting: 'prison', topic: 'drug_risks', sessions: 1 },
    // outside the range's weeks: ignored
    { provinceCode: 'KH-17', week: 3, setting: 'prison', topic: 'drug_risks', sessions: 7 },
  ];
  const people: PeopleCountRow[] = [
    { provinceCode: 'KH-12', week: 0, setting: 'school', sex: 'female', ageBand: '15_17', n: 30 },
    { provinceCode: 'KH-12', week: 0, setting: 'school', sex: 'male', ageBand: '15_17', n: 25 },
    { provinceCode: 'KH-12', week: 0, setting: 'community', sex: 'male', ageBand: '25_34', n: 40 },
    { provinceCode: 'KH-17', week: 2, setting: 'prison', sex: 'male', ageBand: '25_34', n: 3 },
  ];
  const n = buildEducationNational(range, sessions, people);

  it('counts sessions exactly, even 1 and 2 (sessions are not people)', () => {
    expect(n.provinces).toEqual([...PROVINCE_CODES]);
    expect(n.sessions).toHaveLength(25);
    expect(n.sessions[pp]).toEqual([3, 0, 0]);
    expect(n.sessions[sr]).toEqual([0, 0, 1]);
    expect(n.sessionsTotal).toBe(4);
    expect(n.sessionsByTopic).toEqual(SESSION_TOPICS.map((t) => (t === 'drug_risks' ? 2 : t === 'life_skills' ? 2 : 0)));
  });

  /** No row or column (with its total) has exactly one hidden member: it could be recovered by subtraction. */
  const loneHidden = (t: SuppressedTable) => {
    const g: Published[][] = [...t.cells.map((r, i) => [...r, t.rowTotals[i]]), [...t.columnTotals, t.total]];
    const lines = [...g, ...g[0].map((_, j) => g.map((r) => r[j]))];
    return lines.filter((l) => l.filter(isHidden).length === 1);
  };

  it('suppresses small counts of people: 3 people in a prison session are "<5", and cannot be recovered by subtraction', () => {
    expect(n.people.cells[sr][2]).toBe(SMALL);
    expect(n.people.rowTotals[sr]).toBe(SMALL);
    expect(n.people.columnTotals[2]).toBe(SMALL);
    // Phnom Penh's 95 next to the grand total would give the 3 away: one of them is hidden
    expect(isHidden(n.people.cells[pp][0]) || isHidden(n.people.total)).toBe(true);
    expect(loneHidden(n.people)).toEqual([]);
    // the figures that are shown are the true ones
    for (const [i, row] of n.people.cells.entries()) for (const [j, v] of row.entries()) if (!isHidden(v)) expect(v, `${i},${j}`).toBe(i === pp && j === 0 ? 95 : 0);

    const prison = SESSION_SETTINGS.indexOf('prison');
    const male = PARTICIPANT_SEXES.indexOf('male');
    expect(n.bySetting.cells[prison][male]).toBe(SMALL);
    expect(n.bySetting.rowTotals[prison]).toBe(SMALL);
    // male column: 25 + 40 + "<5" = 68 would give the 3 away from the column total: more of it is hidden
    expect(n.bySetting.cells.map((r) => r[male]).filter(isHidden).length + (isHidden(n.bySetting.columnTotals[male]) ? 1 : 0)).toBeGreaterThanOrEqual(2);
    expect(loneHidden(n.bySetting)).toEqual([]);

    // by age band, the prison's 3 men are inside the 43 men aged 25–34: no small cell, everything is shown
    const band = PARTICIPANT_AGE_BANDS.indexOf('25_34');
    expect(n.byAgeBand.cells[band]).toEqual([43, 0, 0]);
    expect(n.byAgeBand.cells[PARTICIPANT_AGE_BANDS.indexOf('15_17')]).toEqual([25, 30, 0]);
    expect(n.byAgeBand.total).toBe(98);
  });

  it('publishes everything when no count is small', () => {
    const big = buildEducationNational(range, sessions.slice(0, 2), people.slice(0, 3));
    expect(big.people.total).toBe(95);
    expect(big.bySetting.total).toBe(95);
    expect(big.byAgeBand.rowTotals[PARTICIPANT_AGE_BANDS.indexOf('25_34')]).toBe(40);
    expect(big.people.withheld).toBe(false);
  });

  it('writes each table as CSV, as published', () => {
    const province = parseCsv(educationNationalCsv(n, 'province'));
    expect(province.header).toEqual(['province_code', 'week', 'from', 'to', 'sessions', 'people_reached']);
    const row = province.rows.find((r) => r.cells[0] === 'KH-17' && r.cells[1] === '3')!;
    expect(row.cells).toEqual(['KH-17', '3', '2026-01-15', '2026-01-20', '1', '<5']);
    expect(province.rows.find((r) => r.cells[0] === 'KH-12' && r.cells[1] === '1')!.cells.slice(2)).toEqual(['2026-01-01', '2026-01-07', '3', String(n.people.cells[pp][0])]);
    expect(province.rows.find((r) => r.cells[0] === 'KH-12' && r.cells[1] === 'all')!.cells.slice(4)).toEqual(['3', String(n.people.rowTotals[pp])]);
    expect(province.rows).toHaveLength(25 * 3 + 25 + 3 + 1);
    expect(province.rows.at(-1)!.cells).toEqual(['all', 'all', '2026-01-01', '2026-01-20', '4', String(n.people.total)]);
    const setting = parseCsv(educationNationalCsv(n, 'setting'));
    expect(setting.header).toEqual(['setting', 'male', 'female', 'unknown', 'total']);
    expect(setting.rows.find((r) => r.cells[0] === 'school')!.cells.slice(3)).toEqual(['0', '55']);
    expect(setting.rows.find((r) => r.cells[0] === 'prison')!.cells[1]).toBe('<5');
    const age = parseCsv(educationNationalCsv(n, 'age'));
    expect(age.header[0]).toBe('age_band');
    expect(age.rows.map((r) => r.cells[0])).toEqual([...PARTICIPANT_AGE_BANDS, 'total']);
  });
});
