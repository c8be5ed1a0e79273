/**
 * The treatment pillar as its users work it (issue 5, "done when"): the administrator adds a proposed centre to the
 * register and edits it; centre staff admit a client (the UIC computed from the parents' names — typed in Khmer script
 * in the Khmer walk — which are never sent) and discharge that client; an analyst reads the national treatment view,
 * a chart and then its table, for a fixed reporting period chosen with the period picker (issue 9: the default
 * campaign week shows margins only, empty two-way cells; a quarter shows the cells). Each walk runs in
 * English and in Khmer, on the phone and the desktop project.
 */
import { expect, test, type Page } from '@playwright/test';
import { en, expectKhmerPage, go, km, serverUrl, setLanguage, shot, signIn } from './lib.js';

const fill = (s: string, vars: Record<string, string | number>) => s.replace(/\{\{(\w+)\}\}/g, (_, k) => String(vars[k]));
/** The part of a catalogue string before its first placeholder (to find a message whose variable we do not format). */
const before = (s: string) => s.split('{{')[0].trim();
const khmer = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(0x17e0 + Number(d)));
const latin = (s: string) => s.replace(/[\u17E0-\u17E9]/g, (d) => String(d.charCodeAt(0) - 0x17e0));
const readCount = (s: string | null) => Number(latin(s ?? '').replace(/[^0-9]/g, ''));

/** Today and yesterday in Cambodia (UTC+7), as the app computes them. */
const cambodiaDay = (offsetDays = 0) => new Date(Date.now() + 7 * 3600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);

async function maybeKhmer(page: Page, lang: 'en' | 'km') {
  if (lang === 'km') await expectKhmerPage(page);
}

for (const lang of ['en', 'km'] as const) {
  const C = lang === 'en' ? en : km;
  const T = C.treatment;
  const n = (x: number) => (lang === 'km' ? khmer(x.toLocaleString('en-US')) : x.toLocaleString('en-US'));

  test(`administrator adds a proposed centre to the register and edits it (${lang})`, async ({ page }, info) => {
    await page.goto(serverUrl(info));
    await signIn(page, 'demo-admin', 'demo-admin-password');
    await setLanguage(page, lang);
    await go(page, T.nav.centres);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(T.register.title);
    await maybeKhmer(page, lang);

    const name = `E2E proposed state centre ${info.project.name} ${lang}`;
    const form = page.getByTestId('centre-form');
    await form.getByLabel(T.register.name, { exact: true }).fill(name);
    if (lang === 'km') await form.getByLabel(T.register.nameKm).fill('មណ្ឌលស្តារនីតិសម្បទារដ្ឋដែលបានស្នើ');
    await form.getByLabel(T.register.organisation).selectOption({ label: 'Outreach NGO (demo)' });
    await form.getByLabel(T.register.kind).selectOption('state');
    await form.getByLabel(T.register.modality).selectOption('residential');
    await form.getByLabel(T.register.admissionPolicy).selectOption('compulsory');
    await form.getByLabel(T.register.province).selectOption('KH-17');
    await form.getByLabel(T.register.status).selectOption('planned');
    // The capacity is missing: the form says so at the field and sends nothing.
    await form.getByRole('button', { name: T.register.create }).click();
    await expect(form.locator('.field--error')).toContainText(C.validation.required);
    await expect(page.getByRole('row', { name: new RegExp(name) })).toHaveCount(0);
    await form.getByLabel(T.register.capacity).fill(lang === 'km' ? '១៥០' : '150'); // Khmer digits are read as 150
    await form.getByRole('button', { name: T.register.create }).click();
    await expect(page.getByText(fill(T.register.created, { name }))).toBeVisible();

    const row = page.getByRole('row', { name: new RegExp(name) });
    await expect(row).toContainText(T.kinds.state);
    await expect(row).toContainText(T.policies.compulsory);
    await expect(row).toContainText(T.statuses.planned);
    await expect(row).toContainText('Outreach NGO (demo)');
    await expect(row).toContainText(n(150));
    await maybeKhmer(page, lang);
    await shot(page, info, `70-centre-added-${lang}`);

    // Edit: more places (with the version loaded).
    await row.getByRole('button', { name: fill(T.register.editLabel, { name }) }).click();
    await expect(form.getByRole('heading')).toHaveText(fill(T.register.editTitle, { name }));
    await expect(form.getByLabel(T.register.organisation)).toBeDisabled();
    await form.getByLabel(T.register.capacity).fill('180');
    await form.getByRole('button', { name: T.register.save }).click();
    await expect(page.getByText(fill(T.register.saved, { name }))).toBeVisible();
    await expect(row).toContainText(n(180));
    await setLanguage(page, 'en');
  });

  test(`centre staff admit a client and discharge a client (${lang})`, async ({ page }, info) => {
    await page.goto(serverUrl(info));
    await signIn(page, 'demo-treatment', 'demo-treatment-password');
    await setLanguage(page, lang);
    await go(page, T.nav.myCentre);
    const inCare = page.getByTestId('headline-inCare');
    await expect(inCare).toBeVisible();
    const inCareBefore = readCount(await inCare.textContent());
    await maybeKhmer(page, lang);
    await shot(page, info, `71-my-centre-${lang}`);

    // The table behind a chart, one click away.
    const weekly = page.getByRole('region', { name: T.centre.charts.weekly });
    await expect(weekly.getByRole('img', { name: T.centre.charts.weekly })).toBeVisible();
    await weekly.getByRole('button', { name: T.chart.showTable }).click();
    await expect(weekly.getByRole('table')).toBeVisible();
    await expect(weekly.getByRole('row', { name: new RegExp(T.table.total) })).toBeVisible();

    // Admit: the UIC from the parents' first names (Khmer script in the Khmer walk), sex and birth date.
    await page.getByTestId('admit-link').click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(T.admit.title);
    const client =
      lang === 'km'
        ? { mother: 'សុខា', father: 'ដារា', sex: 'female' as const, year: '១៩៩២', month: '7', day: '5', uic: 'SKDRF920705' }
        : { mother: 'Sokha', father: 'Dara', sex: 'male' as const, year: '1990', month: '3', day: '12', uic: 'SKDRM900312' };
    const requests: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/')) requests.push(`${r.url()} ${r.postData() ?? ''}`);
    });
    const admit = async () => {
      await page.getByTestId('mother-name').fill(client.mother);
      await page.getByTestId('father-name').fill(client.father);
      await page.getByRole('radio', { name: C.outreach.sexes[client.sex], exact: true }).check();
      await page.getByLabel(C.outreach.uic.year, { exact: true }).fill(client.year);
      await page.getByLabel(C.outreach.uic.month, { exact: true }).selectOption(client.month);
      await page.getByLabel(C.outreach.uic.day, { exact: true }).selectOption(client.day);
      await expect(page.getByTestId('uic-value')).toHaveText(client.uic);
      await page.getByLabel(T.admit.ageBand).selectOption('25_34');
      await page.getByRole('radio', { name: T.referralSources.outreach_ngo }).check();
      await page.getByRole('radio', { name: T.legalBases.voluntary, exact: true }).check();
      await page.getByLabel(T.admit.primaryDrug).selectOption('crystal_meth');
      await page.getByRole('checkbox', { name: C.enforcement.drugs.meth_tablets }).check();
      await page.getByLabel(T.admit.route).selectOption('smoke');
      await page.getByLabel(T.admit.injecting, { exact: true }).selectOption('never');
      await page.getByRole('radio', { name: T.previousTreatment.never }).check();
    };
    await admit();
    // Voluntary without the consent recorded: refused at the field, nothing sent.
    await page.getByTestId('save-admission').click();
    await expect(page.getByText(T.validation.consent)).toBeVisible();
    expect(requests.filter((r) => r.includes('/api/treatment/admissions'))).toEqual([]);
    await page.getByRole('checkbox', { name: T.admit.consent }).check();
    await maybeKhmer(page, lang);
    await shot(page, info, `72-admit-form-${lang}`);
    await page.getByTestId('save-admission').click();

    // Back on the centre page: the new client is in care.
    await expect(page.getByText(fill(T.admit.saved, { uic: client.uic }))).toBeVisible();
    await expect(page).toHaveURL(/\/treatment\?centre=/);
    const row = page.locator(`tr[data-uic="${client.uic}"]`);
    await expect(row).toBeVisible();
    await expect(row).toContainText(T.legalBases.voluntary);
    await expect(inCare).toHaveText(n(inCareBefore + 1));
    // Only the UIC left the form: the parents' names were never sent.
    const sent = requests.filter((r) => r.includes('/api/treatment/admissions'));
    expect(sent.length).toBeGreaterThan(0);
    for (const r of sent) for (const name of [client.mother, client.father]) expect(r).not.toContain(name);
    expect(sent.join('\n')).toContain(client.uic);
    await maybeKhmer(page, lang);
    await shot(page, info, `73-admitted-${lang}`);

    // The same client again, while still in care: the server refuses the overlapping stay, at the admission date.
    await page.getByTestId('admit-link').click();
    await admit();
    await page.getByRole('checkbox', { name: T.admit.consent }).check();
    await page.getByTestId('save-admission').click();
    const dateField = page.locator('.field', { has: page.getByLabel(T.admit.admittedOn) });
    await expect(dateField.locator('.field-error')).toContainText(before(T.validation.overlap));
    await maybeKhmer(page, lang);
    await shot(page, info, `74-admit-overlap-${lang}`);

    // Discharge the client: a date before the admission is refused at the field; today is accepted.
    await go(page, T.nav.myCentre);
    await expect(inCare).toHaveText(n(inCareBefore + 1));
    await row.getByRole('button', { name: fill(T.discharge.openLabel, { uic: client.uic }) }).click();
    const discharge = page.getByRole('form', { name: fill(T.discharge.formLabel, { uic: client.uic }) });
    await discharge.getByLabel(T.discharge.date).fill(cambodiaDay(-1));
    await discharge.getByLabel(T.discharge.reason).selectOption('completed');
    await discharge.getByRole('button', { name: T.discharge.confirm }).click();
    await expect(discharge.locator('.field-error')).toContainText(before(T.validation.beforeAdmission));
    await maybeKhmer(page, lang);
    await shot(page, info, `75-discharge-form-${lang}`);
    await discharge.getByLabel(T.discharge.date).fill(cambodiaDay(0));
    await discharge.getByRole('button', { name: T.discharge.confirm }).click();
    await expect(page.getByText(before(T.discharge.done.replace('{{uic}}', client.uic)))).toBeVisible();
    await expect(row).toHaveCount(0);
    await expect(inCare).toHaveText(n(inCareBefore));
    await maybeKhmer(page, lang);
    await shot(page, info, `76-discharged-${lang}`);

    // Void an admission entered in error: the reason is required at the field; then the stay leaves the list and the
    // in-care figure.
    const voided = page.locator('.tr-incare-table tbody tr[data-uic]').first();
    const voidedUic = (await voided.getAttribute('data-uic'))!;
    await voided.getByRole('button', { name: fill(T.void.openLabel, { uic: voidedUic }) }).click();
    const voidForm = page.getByRole('form', { name: fill(T.void.formLabel, { uic: voidedUic }) });
    await expect(voidForm).toContainText(T.void.explain);
    await voidForm.getByRole('button', { name: T.void.confirm }).click();
    await expect(voidForm.locator('.field-error')).toContainText(C.validation.required);
    await voidForm.getByLabel(T.void.reason).selectOption('entered_in_error');
    await maybeKhmer(page, lang);
    await shot(page, info, `77-void-form-${lang}`);
    await voidForm.getByRole('button', { name: T.void.confirm }).click();
    await expect(page.getByText(fill(T.void.done, { uic: voidedUic }))).toBeVisible();
    await expect(page.locator(`tr[data-uic="${voidedUic}"]`)).toHaveCount(0);
    await expect(inCare).toHaveText(n(inCareBefore - 1));
    await setLanguage(page, 'en');
  });

  test(`analyst reads the national treatment view, a chart then its table (${lang})`, async ({ page }, info) => {
    await page.goto(serverUrl(info));
    await signIn(page, 'demo-analyst', 'demo-analyst-password');
    await setLanguage(page, lang);
    const nationalAsked = (r: { url(): string; request(): { method(): string } }) => r.url().includes('/api/treatment/national?') && r.request().method() === 'GET';
    const [weekRes] = await Promise.all([page.waitForResponse(nationalAsked), go(page, T.nav.national)]);
    expect(weekRes.status()).toBe(200);
    await expect(page.getByTestId('suppression-note')).toContainText(T.national.note.small);
    await expect(page.getByTestId('suppression-note')).toContainText(T.national.note.dash);
    await expect(page.getByTestId('suppression-note')).toContainText(T.national.note.rounded);
    // The period picker starts on the demo campaign's last complete week, and the URL asks exactly that period.
    const P = C.periodPicker;
    const kind = page.getByLabel(P.kind, { exact: true });
    await expect(kind).toHaveValue('campaign_week');
    await expect(page).toHaveURL(/[?&]period=week%3A1&campaignId=/);
    await expect(page.getByLabel(P.campaign, { exact: true })).toBeVisible();
    // A campaign week is released one dimension at a time (issue 9): the API's two-way tables have no cells, only
    // their margins; the page says so, and the table leaves a row's split empty, next to the row's total; the
    // referral-source table is the national admissions by source, one row each.
    expect(new URL(weekRes.url()).searchParams.get('period')).toMatch(/^week:\d+$/);
    const week = await weekRes.json();
    for (const t of [week.byKind.admissions, week.byProvince.admissions, week.byReferralSource]) {
      expect(t.crossed).toBe(false);
      expect(t.cells).toEqual(t.rows.map(() => []));
    }
    await expect(page.getByTestId('margins-only')).toHaveText(T.national.marginsOnly);
    const pubText = (v: number | string) => (typeof v === 'number' ? n(v) : lang === 'km' ? khmer(v) : v);
    const legalCells = [3, 4, 5]; // after centres, capacity and planned capacity: one per legal basis, then admissions
    const kindPanel = page.getByRole('region', { name: T.national.charts.kindAdmissions });
    await expect(kindPanel.locator('svg')).toBeVisible(); // the row totals drawn as one series
    await kindPanel.getByRole('button', { name: T.chart.showTable }).click();
    const weekState = kindPanel.getByRole('table').getByRole('row', { name: new RegExp(`^${T.kinds.state} `) }).getByRole('cell');
    const stateIdx = week.byKind.rows.indexOf('state');
    for (const j of legalCells) await expect(weekState.nth(j)).toHaveText('');
    await expect(weekState.nth(6)).toHaveText(pubText(week.byKind.admissions.rowTotals[stateIdx]));
    const sourcePanel = page.getByRole('region', { name: T.national.charts.referralSource });
    await sourcePanel.getByRole('button', { name: T.chart.showTable }).click();
    const sourceRows = sourcePanel.getByRole('table').getByRole('row');
    // a header, one row per referral source, the total
    await expect(sourceRows).toHaveCount(week.byReferralSource.columns.length + 2);
    const police = week.byReferralSource.columns.indexOf('police');
    await expect(sourceRows.nth(police + 1).getByRole('rowheader')).toHaveText(T.referralSources.police);
    await expect(sourceRows.nth(police + 1).getByRole('cell')).toHaveText([pubText(week.byReferralSource.columnTotals[police])]);
    // the rates: occupancy only, and a note why
    await expect(page.getByRole('region', { name: T.national.charts.kindRates })).toContainText(T.national.charts.ratesWeekNote);
    await maybeKhmer(page, lang);
    await shot(page, info, `77-national-week-${lang}`);
    await kindPanel.getByRole('button', { name: T.chart.hideTable }).click();
    await sourcePanel.getByRole('button', { name: T.chart.hideTable }).click();

    // a quarter instead: the whole demo period of stays is in reach of the register's figures, with each row's split
    const [quarterRes] = await Promise.all([page.waitForResponse((r) => nationalAsked(r) && /^\d{4}-Q[1-4]$/.test(new URL(r.url()).searchParams.get('period') ?? '')), kind.selectOption('quarter')]);
    const quarter = await quarterRes.json();
    expect(quarter.byKind.admissions.crossed).toBe(true);
    await expect(page).toHaveURL(/[?&]period=\d{4}-Q[1-4]$/);
    await expect(page.getByLabel(P.quarter, { exact: true })).toBeVisible();
    await expect(page.getByTestId('period-covers')).toContainText(lang === 'km' ? /[០-៩]/ : /\d{4}/);
    // the figures shown are those of the quarter (not the week's, still being replaced)
    await expect(page.locator('.rpt-body--stale')).toHaveCount(0);
    await expect(page.getByTestId('margins-only')).toHaveCount(0);
    const covers = (await page.getByTestId('period-covers').textContent()) ?? '';
    const [pre, mid] = P.covers.split(/\{\{\w+\}\}/);
    const from = covers.slice(pre.length, covers.indexOf(mid, pre.length));
    expect(from.length).toBeGreaterThan(4);
    await expect(page.locator('.rpt-scope')).toContainText(`${from} – `);

    const panel = page.getByRole('region', { name: T.national.charts.kindAdmissions });
    await expect(panel.getByRole('img', { name: T.national.charts.kindAdmissions })).toBeVisible();
    await expect(panel.locator('svg')).toBeVisible();
    await maybeKhmer(page, lang);
    await shot(page, info, `77-national-${lang}`);
    await panel.getByRole('button', { name: T.chart.showTable }).click();
    const table = panel.getByRole('table');
    await expect(table).toBeVisible();
    // The news report's register: seven state and three private centres open.
    await expect(table.getByRole('row', { name: new RegExp(`^${T.kinds.state} `) }).getByRole('cell').first()).toHaveText(n(7));
    await expect(table.getByRole('row', { name: new RegExp(`^${T.kinds.private} `) }).getByRole('cell').first()).toHaveText(n(3));
    // the quarter's split by legal basis is the API's, cell for cell (numbers or their marks, never "—")
    const quarterState = table.getByRole('row', { name: new RegExp(`^${T.kinds.state} `) }).getByRole('cell');
    for (const [k, j] of legalCells.entries()) await expect(quarterState.nth(j)).toHaveText(pubText(quarter.byKind.admissions.cells[stateIdx][k]));
    const csv = panel.getByRole('link', { name: T.chart.downloadCsv });
    await expect(csv).toHaveAttribute('href', /\/api\/treatment\/national\.csv\?period=\d{4}-Q[1-4]&table=kind/);
    const res = await page.request.get(new URL((await csv.getAttribute('href'))!, serverUrl(info)).toString());
    expect(res.status()).toBe(200);
    expect((await res.text()).split('\n')[0]).toMatch(/^centre_kind,open_centres,capacity/);

    // Referrals next to capacity: the chart, then its table with a row per province.
    const referrals = page.getByRole('region', { name: T.national.charts.referrals });
    await expect(referrals.getByRole('img', { name: T.national.charts.referrals })).toBeVisible();
    await referrals.getByRole('button', { name: T.chart.showTable }).click();
    await expect(referrals.getByRole('row')).toHaveCount(1 + 25 + 1);
    await expect(referrals.getByRole('link', { name: T.chart.downloadCsv })).toHaveAttribute('href', /table=referrals/);
    await maybeKhmer(page, lang);
    await shot(page, info, `78-national-tables-${lang}`);
    await setLanguage(page, 'en');
  });
}
