/**
 * The harm reduction records as the contract (docs/harm-reduction-api.md) defines them, seen from the device.
 * No field holds a name, phone number, address or free text about a person.
 */
import type { Drug } from '../../core/enforcement';
import {
  CLIENT_SEXES,
  CLIENT_STATUSES,
  NEEDLE_SIZES,
  REFERRAL_OUTCOMES,
  REFERRAL_TARGETS,
  ROUTES,
  SETTINGS,
  SYRINGE_SIZES,
  TEST_RESULTS,
  type ClientSex,
  type ClientStatus,
  type DrugRoute,
  type Setting,
  type SyncKind,
} from '../../core/harm-reduction';

// The codes are the server's own (src/core/harm-reduction.ts): one list, shared.
export { CLIENT_SEXES, ROUTES, CLIENT_STATUSES, SETTINGS, NEEDLE_SIZES, SYRINGE_SIZES, TEST_RESULTS, REFERRAL_TARGETS, REFERRAL_OUTCOMES };
export type { ClientSex, DrugRoute, ClientStatus, Setting };
export type NeedleSize = (typeof NEEDLE_SIZES)[number];
export type SyringeSize = (typeof SYRINGE_SIZES)[number];
export type TestResult = (typeof TEST_RESULTS)[number];
export type ReferralTarget = (typeof REFERRAL_TARGETS)[number];
export type ReferralOutcome = (typeof REFERRAL_OUTCOMES)[number];

export interface ClientRecord {
  id: string;
  uic: string;
  sex: ClientSex;
  birthYear: number | null;
  firstContactOn: string;
  drugs: Drug[];
  route: DrugRoute;
  status: ClientStatus;
}

export interface Hotspot {
  id: string;
  code: string;
  districtCode: string;
  active: boolean;
}

export interface Referral {
  id: string;
  target: ReferralTarget;
  outcome: ReferralOutcome;
  outcomeOn: string | null;
}

export interface ContactRecord {
  id: string;
  clientId: string | null;
  at: string;
  setting: Setting;
  hotspotId: string | null;
  needles: Partial<Record<NeedleSize, number>>;
  syringes: Partial<Record<SyringeSize, number>>;
  returned: number;
  condoms: number;
  naloxone: number;
  hivTest: TestResult;
  hcvTest: TestResult;
  counselling: boolean;
  woundCare: boolean;
  referrals: Referral[];
}

export type RecordKind = SyncKind;

/** One record to push: exactly the shape POST /api/sync/push takes. */
export interface PushRecord {
  kind: RecordKind;
  id: string;
  data: unknown;
}

export type PushStatus = 'accepted' | 'already_had' | 'rejected';

export interface PushResult {
  id: string;
  status: PushStatus;
  reason?: string;
}

export interface PullPage {
  clients: ClientRecord[];
  hotspots: Hotspot[];
  cursor: string | null;
  more: boolean;
}

/** An outbox entry once decrypted: the record, and what the server said about it. */
export interface OutboxEntry {
  /** The record's own id (a client-generated UUID): the outbox key and the push id. */
  id: string;
  /** Order of recording on this device. */
  seq: number;
  kind: RecordKind;
  data: unknown;
  createdAt: string;
  state: 'waiting' | 'rejected';
  reason?: string;
}
