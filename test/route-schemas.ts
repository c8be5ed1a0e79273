/**
 * Reading the route registry (`app.tonleRoutes`, src/server/http/route.ts): the fields of a route's strict Zod query
 * schema, its path parameters, the roles the access policy lets call it, and the id collection a parameter names.
 * Tests derive their requests from these, so that they follow the routes when query parameters change.
 */
import type { ZodType } from 'zod';
import type { RegisteredRoute } from '../src/server/http/route.js';
import { RULES } from '../src/server/policy.js';
import { ROLES, type Role } from '../src/core/roles.js';
import type { IdCollections } from './demo-helpers.js';

export type FieldKind = 'enum' | 'number' | 'uuid' | 'string' | 'boolean' | 'other';
export interface QueryField {
  key: string;
  kind: FieldKind;
  /** The values of an enum. */
  options: string[];
  /** Neither optional nor defaulted. */
  required: boolean;
}

interface Def {
  type: string;
  innerType?: ZodType;
  in?: ZodType;
  shape?: Record<string, ZodType>;
  entries?: Record<string, string>;
  format?: string;
  checks?: { _zod: { def: { check?: string; format?: string } } }[];
}
const defOf = (s: ZodType | undefined): Def | undefined => (s as unknown as { _zod?: { def: Def } } | undefined)?._zod?.def;

function describeField(s: ZodType, key: string, required = true): QueryField {
  const def = defOf(s)!;
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'nullable':
    case 'prefault':
      return describeField(def.innerType!, key, false);
    case 'pipe':
      return describeField(def.in!, key, required);
    case 'enum':
      return { key, kind: 'enum', options: Object.values(def.entries ?? {}).map(String), required };
    case 'number':
    case 'int':
    case 'bigint':
      return { key, kind: 'number', options: [], required };
    case 'boolean':
      return { key, kind: 'boolean', options: [], required };
    case 'string': {
      const uuid = def.format === 'uuid' || (def.checks ?? []).some((c) => c._zod.def.format === 'uuid');
      return { key, kind: uuid ? 'uuid' : 'string', options: [], required };
    }
    default:
      return { key, kind: 'other', options: [], required };
  }
}

/** The fields of a route's query schema (none when it takes no query). */
export function queryFields(r: RegisteredRoute): QueryField[] {
  const def = defOf(r.query);
  if (!def) return [];
  if (def.type !== 'object' || !def.shape) throw new Error(`${r.method} ${r.url}: the query schema is not an object schema (${def.type})`);
  return Object.entries(def.shape).map(([k, v]) => describeField(v, k));
}

/** The `:name` parameters of a route's URL. */
export const pathParams = (url: string): string[] => [...url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]);

export function fillUrl(url: string, values: Record<string, string>): string {
  return url.replace(/:([A-Za-z]+)/g, (_, k: string) => encodeURIComponent(values[k] ?? ''));
}

/** The roles the access policy lets call a route. */
export function rolesFor(r: RegisteredRoute): Role[] {
  const who = (RULES as Record<string, { who: 'public' | readonly Role[] }>)[r.action].who;
  return who === 'public' ? [...ROLES] : [...who];
}

/**
 * The ids a parameter should draw from: a path parameter by the URL segment before it (`/api/cases/:id` → cases), a
 * query field `centreId` → centres, `campaignId` → campaigns; unknown names get every id.
 */
export function idsFor(ids: IdCollections, url: string, param: string): string[] {
  let name: string | undefined;
  if (param === 'id' || !param.endsWith('Id')) {
    const segs = url.split('/');
    const at = segs.indexOf(`:${param}`);
    name = at > 0 ? segs[at - 1] : undefined;
  } else name = `${param.slice(0, -2)}s`;
  const found = name ? ids[name] : undefined;
  return found && found.length ? found : Object.values(ids).flat();
}

/** A query string from pairs (values already percent-encoded where `raw`). */
export function queryString(pairs: [string, string, boolean?][]): string {
  if (!pairs.length) return '';
  return '?' + pairs.map(([k, v, raw]) => `${encodeURIComponent(k)}=${raw ? v : encodeURIComponent(v)}`).join('&');
}
