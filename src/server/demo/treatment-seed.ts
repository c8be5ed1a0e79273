/**
 * The treatment pillar's demo data (`npm run start:demo`). The news report in ../shared/seed/: "Cambodia currently has
 * seven state-run and three private rehab centers, which have come under criticism for being compulsory", and
 * "officials have proposed new rehabilitation centers". So: seven state centres (compulsory) and three private ones
 * (mixed or voluntary), each run by its own health organisation, spread over several provinces; one proposed
 * (planned) centre; and the demo treatment organisation's community centre (account demo-treatment), with clients in
 * care and clients discharged. Stays over the last 26 weeks, mostly compulsory at the state centres, so that the
 * national view shows real figures with some small (suppressed) cells.
 *
 * Synthetic and deterministic (seeded PRNG): the same `today` gives the same register and stays. Names are generic
 * ("State rehabilitation centre (demo), Battambang"): no real centre and no person is named; clients are UICs only.
 * Written with bulk inserts and their audit entries in one transaction (well under two seconds).
 */
import { addStaysOfCentres } from '../treatment/aggregates.js';
import { randomUUID } from 'node:crypto';
import type { Database } from '../db/index.js';
import { recordAuditMany, type AuditWhat, type AuditWho } from '../audit/service.js';
import { pseudonym } from '../outreach/service.js';
import { addDays } from '../../core/dates.js';
import { provinceByCode } from '../../core/geography.js';
import { UIC_LETTERS } from '../../core/uic.js';
import type { OrgKind } from '../../core/roles.js';
import type { AdmissionPolicy, CentreKind, CentreStatus, DischargeReason, LegalBasis, Modality, ReferralSource } from '../../core/treatment.js';
import { prng } from './random.js';


export interface DemoCentre {
  name: string;
  nameKm: string;
  orgKind: OrgKind;
  kind: CentreKind;
  modality: Modality;
  admissionPolicy: AdmissionPolicy;
  capacity: number;
  provinceCode: string;
  status: CentreStatus;
  /** Admissions over the 26 weeks before today. */
  admissions: number;
  /** The demo treatment organisation's centre (account demo-treatment). */
  community?: boolean;
}

export interface DemoStay {
  centre: number;
  uic: string;
  admittedOn: string;
  referralSource: ReferralSource;
  legalBasis: LegalBasis;
  consentRecorded: boolean;
  primaryDrug: string;
  secondaryDrugs: string[];
  route: string;
  injecting: string;
  previousTreatment: string;
  sex: string;
  ageBand: string;
  dischargedOn: string | null;
  dischargeReason: DischargeReason | null;
}

const state = (province: string, capacity: number, admissions: number): DemoCentre => ({
  name: `State rehabilitation centre (demo), ${provinceByCode(province)!.nameEn}`,
  nameKm: `មណ្ឌលស្ដារនីតិសម្បទារបស់រដ្ឋ (សាកល្បង) ${provinceByCode(province)!.nameKm}`,
  orgKind: 'state_treatment_centre',
  kind: 'state',
  modality: 'residential',
  admissionPolicy: 'compulsory',
  capacity,
  provinceCode: province,
  status: 'open',
  admissions,
});
const privately = (province: string, capacity: number, admissions: number, admissionPolicy: AdmissionPolicy): DemoCentre => ({
  name: `Private rehabilitation centre (demo), ${provinceByCode(province)!.nameEn}`,
  nameKm: `មណ្ឌលស្ដារនីតិសម្បទាឯកជន (សាកល្បង) ${provinceByCode(province)!.nameKm}`,
  orgKind: 'private_treatment_centre',
  kind: 'private',
  modality: 'residential',
  admissionPolicy,
  capacity,
  provinceCode: province,
  status: 'open',
  admissions,
});

/** The register: 7 state + 3 private (the news report), 1 proposed, and the demo organisation's community centre. */
export const DEMO_CENTRES: readonly DemoCentre[] = [
  state('KH-12', 300, 330),
  state('KH-2', 200, 230),
  state('KH-17', 150, 160),
  state('KH-1', 120, 140),
  state('KH-18', 100, 105),
  state('KH-3', 80, 85),
  state('KH-9', 50, 40),
  privately('KH-12', 60, 70, 'mixed'),
  privately('KH-8', 40, 45, 'voluntary'),
  privately('KH-7', 30, 5, 'mixed'), // a new centre: few admissions, a small (suppressed) province in the national view
  {
    name: 'Proposed national rehabilitation centre (demo), Kampong Speu',
    nameKm: 'មណ្ឌលស្ដារនីតិសម្បទាជាតិដែលបានស្នើ (សាកល្បង) កំពង់ស្ពឺ',
    orgKind: 'state_treatment_centre',
    kind: 'state',
    modality: 'residential',
    admissionPolicy: 'compulsory',
    capacity: 500,
    provinceCode: 'KH-5',
    status: 'planned',
    admissions: 0,
  },
  {
    name: 'Community treatment centre (demo), Battambang',
    nameKm: 'មណ្ឌលព្យាបាលផ្អែកលើសហគមន៍ (សាកល្បង) បាត់ដំបង',
    orgKind: 'community_treatment_centre',
    kind: 'community',
    modality: 'community',
    admissionPolicy: 'voluntary',
    capacity: 30,
    provinceCode: 'KH-2',
    status: 'open',
    admissions: 48,
    community: true,
  },
];

const WINDOW_DAYS = 182;

/** The stays of the demo (pure and deterministic for a given `today`). */
export function treatmentDemoStays(today: string): DemoStay[] {
  const rnd = prng(20170107);
  const pick = <T>(xs: readonly (readonly [T, number])[]): T => {
    let x = rnd() * xs.reduce((s, [, w]) => s + w, 0);
    for (const [v, w] of xs) if ((x -= w) < 0) return v;
    return xs[xs.length - 1][0];
  };
  const letters = (n: number) => Array.from({ length: n }, () => UIC_LETTERS[Math.floor(rnd() * UIC_LETTERS.length)]).join('');
  const stays: DemoStay[] = [];
  DEMO_CENTRES.forEach((c, ci) => {
    const used = new Set<string>();
    for (let k = 0; k < c.admissions; k++) {
      const legalBasis: LegalBasis =
        c.kind === 'state'
          ? pick([
              ['compulsory_administrative', 80],
              ['court_ordered', 15],
              ['voluntary', 5],
            ])
          : c.admissionPolicy === 'voluntary'
            ? 'voluntary'
            : pick([
                ['voluntary', 70],
                ['court_ordered', 20],
                ['compulsory_administrative', 10],
              ]);
      const referralSource: ReferralSource =
        legalBasis === 'court_ordered'
          ? 'court'
          : legalBasis === 'compulsory_administrative'
            ? pick([
                ['police', 85],
                ['family', 15],
              ])
            : c.community
              ? pick([
                  ['outreach_ngo', 45],
                  ['self', 25],
                  ['health_facility', 15],
                  ['family', 15],
                ])
              : pick([
                  ['family', 45],
                  ['self', 35],
                  ['health_facility', 10],
                  ['outreach_ngo', 10],
                ]);
      const primaryDrug = pick([
        ['crystal_meth', 74],
        ['meth_tablets', 11],
        ['heroin', 8],
        ['ketamine', 3],
        ['cannabis_herb', 3],
        ['other', 1],
      ]);
      const secondaryDrugs = rnd() < 0.35 ? [primaryDrug === 'meth_tablets' ? 'crystal_meth' : 'meth_tablets'] : [];
      const route = primaryDrug === 'heroin' ? pick([['inject', 60], ['smoke', 40]] as const) : primaryDrug === 'meth_tablets' ? pick([['oral', 50], ['smoke', 50]] as const) : 'smoke';
      const injecting = route === 'inject' ? 'last_30_days' : pick([['never', 85], ['ever_not_last_30_days', 5], ['unknown', 10]] as const);
      const sex = pick([['male', c.community ? 80 : 90], ['female', c.community ? 19 : 10], ['other', 1]] as const);
      const ageBand = pick([['15_17', 5], ['18_24', 30], ['25_34', 40], ['35_49', 20], ['50_plus', 5]] as const);
      const age = { '15_17': 16, '18_24': 21, '25_34': 29, '35_49': 41, '50_plus': 55 }[ageBand];
      let uic: string;
      do {
        const year = Number(today.slice(0, 4)) - age - Math.floor(rnd() * 3);
        uic = `${letters(2)}${letters(2)}${{ male: 'M', female: 'F', other: 'X' }[sex]}${String(year % 100).padStart(2, '0')}${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`;
      } while (used.has(uic));
      used.add(uic);
      // admissions over the window, slightly more in recent weeks (the campaign)
      const admittedOn = addDays(today, -Math.floor(WINDOW_DAYS * Math.pow(rnd(), 1.3)));
      const length =
        c.community || c.kind === 'private'
          ? 20 + Math.floor(rnd() * 100)
          : legalBasis === 'court_ordered'
            ? 120 + Math.floor(rnd() * 240)
            : legalBasis === 'compulsory_administrative'
              ? 90 + Math.floor(rnd() * 120)
              : 30 + Math.floor(rnd() * 90);
      const end = addDays(admittedOn, length);
      const discharged = end < today;
      const dischargeReason: DischargeReason | null = !discharged
        ? null
        : legalBasis === 'voluntary'
          ? pick([
              ['completed', 55],
              ['left_against_advice', 30],
              ['transferred', 5],
              ['moved', 7],
              ['other', 3],
            ])
          : pick([
              ['completed', 75],
              ['left_against_advice', 12],
              ['transferred', 8],
              ['died', 1],
              ['other', 4],
            ]);
      stays.push({
        centre: ci,
        uic,
        admittedOn,
        referralSource,
        legalBasis,
        consentRecorded: legalBasis === 'voluntary',
        primaryDrug,
        secondaryDrugs,
        route,
        injecting,
        previousTreatment: pick([['never', 60], ['yes', 30], ['unknown', 10]] as const),
        sex,
        ageBand,
        dischargedOn: discharged ? end : null,
        dischargeReason,
      });
    }
  });
  return stays;
}

export interface TreatmentSeedResult {
  centres: { id: string; name: string; kind: CentreKind; provinceCode: string; status: CentreStatus; organisationId: string }[];
  stays: number;
  communityInCare: number;
  communityDischarged: number;
}

/**
 * Write the demo register and stays. `communityOrganisationId` is the demo treatment organisation (the organisation
 * of account demo-treatment), `communityAccountId` that account: its centre's stays are recorded by it. The other
 * centres get their own health organisations, each with one disabled records account (no password: nobody signs in
 * with it) that the stays are attributed to.
 */
export async function seedTreatmentDemo(db: Database, opts: { today: string; communityOrganisationId: string; communityAccountId: string }): Promise<TreatmentSeedResult> {
  const system: AuditWho = { accountId: null, organisationId: null, ip: 'bootstrap' };
  const stays = treatmentDemoStays(opts.today);
  const now = new Date();
  return db.transaction().execute(async (trx) => {
    const audits: AuditWhat[] = [];
    const placed: { id: string; org: string; account: string }[] = [];
    const result: TreatmentSeedResult = { centres: [], stays: stays.length, communityInCare: 0, communityDischarged: 0 };
    for (const [i, c] of DEMO_CENTRES.entries()) {
      let org = opts.communityOrganisationId;
      let account = opts.communityAccountId;
      if (!c.community) {
        org = randomUUID();
        account = randomUUID();
        await trx
          .insertInto('organisations')
          .values({ id: org, name: c.name, sector: 'health', kind: c.orgKind, province_code: c.provinceCode, district_code: null, commune_code: null, parent_id: null, status: 'active', created_at: now, updated_at: now })
          .execute();
        audits.push({ action: 'organisation.create', entity: 'organisation', entityId: org, details: { after: { name: c.name, sector: 'health', kind: c.orgKind, provinceCode: c.provinceCode } } });
        const username = `demo-records-${String(i + 1).padStart(2, '0')}`;
        await trx
          .insertInto('accounts')
          // '!' is no argon2 hash: no password ever matches it, and the account is disabled
          .values({ id: account, organisation_id: org, username, password_hash: '!', role: 'treatment_staff', locale: 'en', must_change_password: false, disabled: true, created_at: now, updated_at: now })
          .execute();
        audits.push({ action: 'account.create', entity: 'account', entityId: account, details: { after: { username, role: 'treatment_staff', organisationId: org, disabled: true } } });
      }
      const id = randomUUID();
      const centre = {
        id,
        name: c.name,
        name_km: c.nameKm,
        organisation_id: org,
        kind: c.kind,
        modality: c.modality,
        admission_policy: c.admissionPolicy,
        capacity: c.capacity,
        province_code: c.provinceCode,
        district_code: null,
        status: c.status,
        version: 1,
        created_at: now,
        updated_at: now,
      };
      await trx.insertInto('treatment_centres').values(centre).execute();
      audits.push({
        action: 'centre.create',
        entity: 'treatment_centre',
        entityId: id,
        details: { after: { id, name: c.name, nameKm: c.nameKm, organisationId: org, kind: c.kind, modality: c.modality, admissionPolicy: c.admissionPolicy, capacity: c.capacity, provinceCode: c.provinceCode, districtCode: null, status: c.status, version: 1 } },
      });
      placed.push({ id, org, account });
      result.centres.push({ id, name: c.name, kind: c.kind, provinceCode: c.provinceCode, status: c.status, organisationId: org });
    }
    await recordAuditMany(trx, system, audits);

    // the stays, with their audit entries attributed to each centre's records account (pseudonyms, never a UIC)
    const byCentre = new Map<number, { rows: any[]; audits: AuditWhat[] }>();
    for (const s of stays) {
      const p = placed[s.centre];
      const id = randomUUID();
      if (!byCentre.has(s.centre)) byCentre.set(s.centre, { rows: [], audits: [] });
      const bucket = byCentre.get(s.centre)!;
      bucket.rows.push({
        id,
        organisation_id: p.org,
        centre_id: p.id,
        uic: s.uic,
        admitted_on: s.admittedOn,
        referral_source: s.referralSource,
        legal_basis: s.legalBasis,
        consent_recorded: s.consentRecorded,
        primary_drug: s.primaryDrug,
        secondary_drugs: JSON.stringify(s.secondaryDrugs),
        route: s.route,
        injecting: s.injecting,
        previous_treatment: s.previousTreatment,
        sex: s.sex,
        age_band: s.ageBand,
        discharged_on: s.dischargedOn,
        discharge_reason: s.dischargeReason,
        version: s.dischargedOn ? 2 : 1,
        created_by: p.account,
        created_at: now,
        updated_at: now,
      });
      bucket.audits.push({ action: 'admission.create', entity: 'treatment_admission', entityId: pseudonym(p.org, id), details: { centreId: p.id } });
      if (s.dischargedOn) {
        bucket.audits.push({
          action: 'admission.discharge',
          entity: 'treatment_admission',
          entityId: pseudonym(p.org, id),
          details: { before: { dischargeReason: null, version: 1 }, after: { dischargeReason: s.dischargeReason, version: 2 } },
        });
      }
      if (DEMO_CENTRES[s.centre].community) {
        if (s.dischargedOn) result.communityDischarged++;
        else result.communityInCare++;
      }
    }
    for (const [ci, bucket] of byCentre) {
      for (let k = 0; k < bucket.rows.length; k += 500) await trx.insertInto('treatment_admissions').values(bucket.rows.slice(k, k + 500)).execute();
      await recordAuditMany(trx, { accountId: placed[ci].account, organisationId: placed[ci].org, ip: 'bootstrap' }, bucket.audits);
    }
    // the maintained summaries of these stays, in the same transaction (src/server/treatment/aggregates.ts)
    await addStaysOfCentres(trx, [...byCentre.keys()].map((ci) => placed[ci].id));
    return result;
  });
}
