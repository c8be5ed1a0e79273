/**
 * The education pillar as its users work it: the demo education officer records a session in English, switches to
 * Khmer and records another (one count typed in Khmer digits), sees both in the organisation's list, voids each as
 * entered in error (one in Khmer, one in English) and sees it leave the list, then opens the national view in Khmer —
 * for the period picker's default (the demo campaign's latest complete week), then the campaign to date — and a
 * chart's table (a week's tables: margins only, empty cells); an analyst opens the national view from the menu, picks a month and a quarter, and reads the
 * series, a table and its CSV, with the rounding note. Every figure on the page is the one the API answered for the
 * period the page asked (never a date range). Runs on the phone and the desktop project.
 */
import { expect, test, type Page } from '@playwright/test';
import { en, expectKhmerPage, go, km, serverUrl, setLanguage, shot, signIn } from './lib.js';
import { PARTICIPANT_AGE_BANDS } from '../src/core/education.js';
import { addDays, todayInCambodia } from '../src/core/dates.js';

const fill = (s: string, vars: Record<string, string | number>) => s.replace(/\{\{(\w+)\}\}/g, (_, k) => String(vars[k]));
const khmer = (n: number) => n.toLocaleString('en-US').replace(/[0-9]/g, (d) => String.fromCharCode(0x17e0 + Number(d)));

type Cat = typeof en;
const cell = (C: Cat, sex: 'male' | 'female' | 'unknown', band: keyof Cat['education']['ageBands']) =>
  fill(C.education.form.cellLabel, { sex: C.education.sexes[sex], band: C.education.ageBands[band] });

/**
 * Run `action` and return the national view the page asks for because of it (the first one, or the one of `period`
 * when given): the query it sent and the answer.
 */
async function nationalAnswer(page: Page, action: () => Promise<unknown>, period?: string) {
  const asked = (r: { url(): string; request(): { method(): string } }) =>
    r.url().includes('/api/education/national?') && r.request().method() === 'GET' && (period === undefined || new URL(r.url()).searchParams.get('period') === period);
  const [res] = await Promise.all([page.waitForResponse(asked), action()]);
  expect(res.status()).toBe(200);
  const q = new URL(res.url()).searchParams;
  // a fixed period, never a date range
  expect(q.has('from') || q.has('to')).toBe(false);
  expect(q.get('period')).toBeTruthy();
  return { q, n: await res.json() };
}
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

test('an education officer records a session in English and one in Khmer, and reads the national view', async ({ page }, info) => {
  await page.goto(serverUrl(info));
  await signIn(page, 'demo-education', 'demo-education-password');
  await setLanguage(page, 'en');
  const E = en.education;
  await go(page, E.nav.sessions);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(E.sessions.title);
  // the organisation's province is offered first; the list shows the demo sessions
  await expect(page.getByLabel(E.form.province, { exact: true })).toHaveValue('KH-17');
  await expect(page.getByTestId('session-row').first()).toBeVisible();
  const before = (await (await page.request.get(`${serverUrl(info)}/api/education/sessions?limit=1`)).json()).total as number;

  // Saving an empty grid is refused at the participants, before anything is sent.
  await page.getByRole('button', { name: E.form.save }).click();
  await expect(page.getByText(E.errors.noParticipants)).toBeVisible();

  await page.getByRole('radio', { name: E.settings.school }).check();
  await page.getByLabel(E.form.topic, { exact: true }).selectOption('drug_risks');
  await page.getByLabel(cell(en, 'female', '15_17'), { exact: true }).fill('14');
  await page.getByLabel(cell(en, 'male', '15_17'), { exact: true }).fill('11');
  await page.getByLabel(cell(en, 'female', 'under_15'), { exact: true }).fill('3');
  await expect(page.getByTestId('participants-total')).toHaveText('28');
  await shot(page, info, '60-education-form-en');
  await page.getByRole('button', { name: E.form.save }).click();
  await expect(page.getByTestId('session-saved')).toHaveText(fill(E.sessions.saved, { n: 28 }));
  const first = page.getByTestId('session-row').first();
  await expect(first).toContainText(E.topics.drug_risks);
  await expect(first).toContainText(E.settings.school);
  await expect(first).toContainText(fill(E.sessions.peopleN, { n: 28 }));
  await expect(page.getByTestId('participants-total')).toHaveText('0'); // the grid is cleared for the next session
  await shot(page, info, '61-education-saved-en');

  // The same officer switches to Khmer and records another session, one count in Khmer digits.
  await setLanguage(page, 'km');
  const K = km.education;
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(K.sessions.title);
  await page.getByRole('radio', { name: K.settings.community }).check();
  await page.getByLabel(K.form.topic, { exact: true }).selectOption('family_support');
  await page.getByLabel(cell(km, 'male', '25_34'), { exact: true }).fill('១៧'); // 17
  await page.getByLabel(cell(km, 'female', '25_34'), { exact: true }).fill('9');
  await expect(page.getByTestId('participants-total')).toHaveText(khmer(26));
  await expectKhmerPage(page);
  await shot(page, info, '62-education-form-km');
  await page.getByRole('button', { name: K.form.save }).click();
  await expect(page.getByTestId('session-saved')).toHaveText(fill(K.sessions.saved, { n: khmer(26) }));
  const newest = page.getByTestId('session-row').first();
  await expect(newest).toContainText(K.topics.family_support);
  await expect(newest).toContainText(fill(K.sessions.peopleN, { n: khmer(26) }));
  await expect(page.getByTestId('session-row').nth(1)).toContainText(K.topics.drug_risks);
  await expect(page.getByTestId('sessions-count')).toContainText(khmer(before + 2));
  await expectKhmerPage(page);
  await shot(page, info, '63-education-saved-km');

  // What was recorded is in the organisation's list as the API gives it.
  const list = await (await page.request.get(`${serverUrl(info)}/api/education/sessions?limit=2`)).json();
  expect(list.total).toBe(before + 2);
  expect(list.items.map((s: { total: number; participants: unknown }) => [s.total, s.participants])).toEqual([
    [26, { male: { '25_34': 17 }, female: { '25_34': 9 } }],
    [28, { male: { '15_17': 11 }, female: { under_15: 3, '15_17': 14 } }],
  ]);

  // The officer voids each session as entered in error: first the Khmer one in Khmer (confirming without a reason is
  // refused at the reason), then the English one in English; each leaves the list at once.
  const [kmSession, enSession] = list.items.map((s: { id: string }) => s.id);
  await page.getByTestId('session-row').first().getByRole('button', { name: K.void.open }).click();
  const kmForm = page.getByTestId('void-form');
  await expect(kmForm).toContainText(K.void.explain);
  await kmForm.getByRole('button', { name: K.void.confirm }).click();
  await expect(kmForm.getByRole('alert')).toHaveText(K.void.errors.chooseReason);
  await kmForm.getByRole('radio', { name: K.void.reasons.duplicate }).check();
  await kmForm.getByRole('button', { name: K.void.confirm }).click();
  await expect(page.getByTestId('session-voided')).toHaveText(K.void.done);
  await expect(page.getByTestId('void-form')).toHaveCount(0);
  await expect(page.getByTestId('sessions-count')).toHaveText(fill(K.sessions.count, { shown: khmer(Math.min(20, before + 1)), total: khmer(before + 1) }));
  await expect(page.getByTestId('session-row').first()).toContainText(K.topics.drug_risks);
  await expectKhmerPage(page);

  await setLanguage(page, 'en');
  await page.getByTestId('session-row').first().getByRole('button', { name: E.void.open }).click();
  const enForm = page.getByTestId('void-form');
  await enForm.getByRole('radio', { name: E.void.reasons.entered_in_error }).check();
  await enForm.getByRole('button', { name: E.void.confirm }).click();
  await expect(page.getByTestId('session-voided')).toHaveText(E.void.done);
  await expect(page.getByTestId('sessions-count')).toHaveText(fill(E.sessions.count, { shown: Math.min(20, before).toLocaleString('en-US'), total: before.toLocaleString('en-US') }));
  const afterVoid = await (await page.request.get(`${serverUrl(info)}/api/education/sessions?limit=500`)).json();
  expect(afterVoid.total).toBe(before);
  expect(afterVoid.items.map((s: { id: string }) => s.id)).not.toContain(kmSession);
  expect(afterVoid.items.map((s: { id: string }) => s.id)).not.toContain(enSession);
  await setLanguage(page, 'km');

  // The national view, in Khmer: the picker's default is the demo campaign's latest complete week; the headline is
  // the API's answer for it, the note says counts of people are rounded.
  const opened = await nationalAnswer(page, () => go(page, K.nav.national));
  expect(opened.q.get('period')).toMatch(/^week:\d+$/);
  expect(opened.q.get('campaignId')).toMatch(/^[0-9a-f-]{36}$/);
  await expect(page.getByTestId('headline-sessions')).toHaveText(khmer(opened.n.sessionsTotal));
  await expect(page.getByTestId('suppression-note')).toContainText('<៥');
  await expect(page.getByTestId('rounding-note')).toHaveText(K.national.note.rounded);
  // A campaign week is its own single part (its days are never released), and its two-way tables are released one
  // dimension at a time: no cells, only the margins, empty cells in the table where a row's split by sex would be.
  expect(opened.n.parts.map((p: { spec: string }) => p.spec)).toEqual([opened.q.get('period')]);
  await expect(page.getByRole('region', { name: K.national.charts.sessionsSeries })).toContainText(K.national.charts.seriesNote.single);
  for (const t of [opened.n.bySetting, opened.n.byAgeBand]) {
    expect(t.crossed).toBe(false);
    expect(t.cells).toEqual(t.rows.map(() => []));
  }
  await expect(page.getByRole('region', { name: K.national.charts.setting })).toContainText(K.national.charts.marginsOnly);
  const weekAge = page.getByRole('region', { name: K.national.charts.age });
  await expect(weekAge).toContainText(K.national.charts.marginsOnly);
  await weekAge.getByRole('button', { name: K.national.showTable }).click();
  const kmPub = (v: number | string) => (typeof v === 'number' ? khmer(v) : v.replace(/[0-9]/g, (d) => String.fromCharCode(0x17e0 + Number(d))));
  const weekBand = PARTICIPANT_AGE_BANDS.indexOf('15_17');
  await expect(weekAge.getByRole('table').getByRole('row', { name: new RegExp(`^${K.ageBands['15_17']}`) }).getByRole('cell')).toHaveText(['', '', '', kmPub(opened.n.byAgeBand.rowTotals[weekBand])]);
  await expectKhmerPage(page);
  await shot(page, info, '64-education-national-week-km');
  await weekAge.getByRole('button', { name: K.national.hideTable }).click();

  // The officer asks for the campaign to date. The demo campaign is ten days old, so "to date" is its first week:
  // one part, the period itself (its days are not released), and margins only, as for week 1.
  const toDate = await nationalAnswer(page, () => page.getByLabel(km.periodPicker.kind, { exact: true }).selectOption('campaign_to_date'));
  expect(toDate.q.get('period')).toBe('to_date');
  const n = toDate.n;
  await expect(page.getByTestId('headline-sessions')).toHaveText(khmer(n.sessionsTotal));
  expect(n.parts.map((p: { spec: string }) => p.spec)).toEqual(['to_date']);
  expect([n.parts[0].from, n.parts[0].to]).toEqual([opened.n.period.from, opened.n.period.to]); // the dates of week 1
  expect([n.bySetting.crossed, n.byAgeBand.crossed]).toEqual([false, false]);
  await expect(page.getByRole('region', { name: K.national.charts.sessionsSeries })).toContainText(K.national.charts.seriesNote.single);
  await expect(page.getByRole('region', { name: K.national.charts.age })).toContainText(K.national.charts.marginsOnly);
  const map = page.getByRole('region', { name: K.national.charts.map });
  await map.getByRole('button', { name: K.national.showTable }).click();
  const table = map.getByRole('table');
  await expect(table).toBeVisible();
  const siemReap = n.provinces.indexOf('KH-17');
  await expect(table.getByRole('row', { name: /^សៀមរាប/ })).toContainText(khmer(sum(n.sessions[siemReap])));
  const csvLink = map.getByRole('link', { name: K.national.downloadCsv });
  await expect(csvLink).toBeVisible();
  expect(await csvLink.getAttribute('href')).toContain('period=to_date');
  await expectKhmerPage(page);
  await shot(page, info, '64-education-national-km');
  await setLanguage(page, 'en');
});

test('an analyst opens the national education view from the menu, picks a month and a quarter, and reads the tables', async ({ page }, info) => {
  await page.goto(serverUrl(info));
  await signIn(page, 'demo-analyst', 'demo-analyst-password');
  await setLanguage(page, 'en');
  const E = en.education;
  await nationalAnswer(page, () => go(page, E.nav.national));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(E.national.title);

  // The last complete month (health figures are released for periods that are over): one bar, the month itself.
  const today = todayInCambodia();
  const month = addDays(`${today.slice(0, 7)}-01`, -1).slice(0, 7);
  const { n } = await nationalAnswer(
    page,
    async () => {
      await page.getByLabel(en.periodPicker.kind, { exact: true }).selectOption('month');
      await page.getByLabel(en.periodPicker.year, { exact: true }).selectOption(month.slice(0, 4));
      await page.getByLabel(en.periodPicker.month, { exact: true }).selectOption(String(Number(month.slice(5, 7))));
    },
    month,
  );
  // a month is its own single part (its days are never released), and its two-way tables have their cells
  expect(n.parts.map((p: { spec: string }) => p.spec)).toEqual([month]);
  await expect(page.getByRole('region', { name: E.national.charts.sessionsSeries })).toContainText(E.national.charts.seriesNote.single);
  expect([n.bySetting.crossed, n.byAgeBand.crossed]).toEqual([true, true]);
  expect(n.byAgeBand.cells.map((r: unknown[]) => r.length)).toEqual(PARTICIPANT_AGE_BANDS.map(() => 3));
  await expect(page.getByRole('region', { name: E.national.charts.age })).not.toContainText(E.national.charts.marginsOnly);
  await expect(page.getByTestId('headline-sessions')).toHaveText(n.sessionsTotal.toLocaleString('en-US'));
  await expect(page.getByTestId('headline-people')).toHaveText(typeof n.people.total === 'number' ? n.people.total.toLocaleString('en-US') : n.people.total);
  await expect(page.getByTestId('suppression-note')).toContainText('<5');
  await expect(page.getByTestId('rounding-note')).toHaveText(E.national.note.rounded);
  // every count of people published is 0, "<5", "*" or a multiple of 5
  const published = (v: number | string) => v === '<5' || v === '*' || (typeof v === 'number' && v % 5 === 0);
  expect([...n.people.cells.flat(), ...n.bySetting.cells.flat(), ...n.byAgeBand.cells.flat(), n.people.total].filter((v) => !published(v))).toEqual([]);

  const age = page.getByRole('region', { name: E.national.charts.age });
  await age.getByRole('button', { name: E.national.showTable }).click();
  const table = age.getByRole('table');
  await expect(table).toBeVisible();
  // the age-band table is the API's, cell for cell (numbers or their marks)
  const bandIndex = PARTICIPANT_AGE_BANDS.indexOf('15_17');
  const row = table.getByRole('row', { name: new RegExp(`^${E.ageBands['15_17']}`) });
  const fmt = (v: number | string) => (typeof v === 'number' ? v.toLocaleString('en-US') : v);
  await expect(row.getByRole('cell')).toHaveText([...(n.byAgeBand.cells[bandIndex] as (number | string)[]).map(fmt), fmt(n.byAgeBand.rowTotals[bandIndex])]);
  const href = await age.getByRole('link', { name: E.national.downloadCsv }).getAttribute('href');
  expect(href).toContain('table=age');
  expect(href).toContain(`period=${month}`);
  const csv = await page.request.get(`${serverUrl(info)}${href}`);
  expect(csv.status()).toBe(200);
  expect(await csv.text()).toContain('age_band,male,female,unknown,total');
  await shot(page, info, '65-education-national-en');

  // The last complete quarter: its three months are the series, in the chart's table (three rows and the total).
  const lastQuarterEnd = addDays(`${today.slice(0, 4)}-${String(Math.floor((Number(today.slice(5, 7)) - 1) / 3) * 3 + 1).padStart(2, '0')}-01`, -1);
  const q = Math.floor((Number(lastQuarterEnd.slice(5, 7)) - 1) / 3) + 1;
  const quarter = await nationalAnswer(
    page,
    async () => {
      await page.getByLabel(en.periodPicker.kind, { exact: true }).selectOption('quarter');
      await page.getByLabel(en.periodPicker.year, { exact: true }).selectOption(lastQuarterEnd.slice(0, 4));
      await page.getByLabel(en.periodPicker.quarter, { exact: true }).selectOption(String(q));
    },
    `${lastQuarterEnd.slice(0, 4)}-Q${q}`,
  );
  expect(quarter.n.parts.map((p: { type: string }) => p.type)).toEqual(['month', 'month', 'month']);
  const series = page.getByRole('region', { name: E.national.charts.sessionsSeries });
  await expect(series).toContainText(E.national.charts.seriesNote.month);
  await series.getByRole('button', { name: E.national.showTable }).click();
  const rows = series.getByRole('table').getByRole('row');
  await expect(rows).toHaveCount(1 + 3 + 1);
  await expect(rows.last()).toContainText(quarter.n.sessionsTotal.toLocaleString('en-US'));

  // The map: choose Siem Reap to read its figures.
  await page.getByRole('group', { name: E.national.map.title }).getByRole('button', { name: /^Siem Reap/ }).click();
  await expect(page.getByTestId('province-selected')).toContainText('Siem Reap');
  await shot(page, info, '66-education-national-province-en');
});
