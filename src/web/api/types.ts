import type { Locale, OrgKind, Role, Sector } from '../../core/roles';

/** The signed-in account, as returned by /api/auth/me and /api/auth/login. */
export interface Me {
  id: string;
  username: string;
  role: Role;
  locale: Locale;
  mustChangePassword: boolean;
  organisation: { id: string; name: string; sector: Sector; kind: OrgKind };
}

export interface Account {
  id: string;
  username: string;
  role: Role;
  organisationId: string;
  organisationName: string;
  locale: Locale;
  disabled: boolean;
  mustChangePassword: boolean;
  lockedUntil: string | null;
  lastLoginAt: string | null;
  createdAt: string;
}

export interface Organisation {
  id: string;
  name: string;
  sector: Sector;
  kind: OrgKind;
  provinceCode: string;
  districtCode: string | null;
  communeCode: string | null;
  status: 'active' | 'closed';
  /** The organisation above this one (a police headquarters above its units): supervisors see the units below. */
  parentId: string | null;
  createdAt: string;
}

export interface Province {
  code: string;
  number: number;
  nameEn: string;
  nameKm: string;
}

export interface GeoUnit {
  code: string;
  parentCode: string;
  nameEn: string;
  nameKm: string;
}

export interface GeoSummary {
  provinces: number;
  districts: number;
  communes: number;
}

export interface ImportReport {
  inserted: number;
  updated: number;
  unchanged: number;
  districts: number;
  communes: number;
}

export interface RejectedRow {
  row: number | null;
  column: string;
  message: string;
}

export interface AuditItem {
  seq: number;
  at: string;
  username: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  ip: string | null;
  details: unknown;
}

export interface AuditVerify {
  ok: boolean;
  checked: number;
  firstBroken?: { seq: number; reason: string };
}

export interface FieldError {
  path: string;
  message: string;
}
