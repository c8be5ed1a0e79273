/**
 * The harm reduction records as the contract (docs/harm-reduction-api.md) defines them, seen from the device.
 * No field holds a name, phone number, address or free text about a person.
 */
import type { Drug } from '../../core/enforcement';

export const CLIENT_SEXES = ['male', 'female', 'other'] as const;
export const ROUTES = ['smoke', 'inject', 'sniff', 'oral', 'other', 'unknown'] as const;
export const CLIENT_STATUSES = ['active', 'lost_to_follow_up', 'moved', 'died'] as const;
export const SETTINGS = ['drop_in', 'hotspot', 'mobile'] as const;
export const NEEDLE_SIZES = ['23G', '25G', '27G', '29G'] as const;
export const SYRINGE_SIZES = ['1ml', '3ml', '5ml'] as const;
export const TEST_RESULTS = ['not_done', 'negative', 'positive', 'invalid'] as const;
export const REFERRAL_TARGETS = ['ost', 'art', 'tb', 'treatment_centre', 'hcv', 'sti', 'legal_aid', 'other_health'] as const;
export const REFERRAL_OUTCOMES = ['pending', 'completed', 'not_completed'] as const;

export type ClientSex = (typeof CLIENT_SEXES)[number];
export type DrugRoute = (typeof ROUTES)[number];
export type ClientStatus = (typeof CLIENT_STATUSES)[number];
export type Setting = (typeof SETTINGS)[number];
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

export type RecordKind = 'client' | 'contact' | 'referral_outcome' | 'client_status';

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
