/**
 * The access policy: the one place that answers "may this account do this action (on this record)".
 * Every route names its action; the route layer calls `authorize` before the handler runs, and services
 * call `authorizeRecord` / `clientScope` for record-level checks. Nothing else decides access.
 */
import { ROLES, type Role, type Sector } from '../core/roles.js';
import { forbidden, HttpError, unauthorized } from './http/errors.js';

export interface Actor {
  accountId: string;
  organisationId: string;
  sector: Sector;
  role: Role;
  mustChangePassword: boolean;
}

const HEALTH_CLIENT_ROLES: readonly Role[] = ['treatment_staff', 'outreach_worker', 'programme_manager'];
const ENFORCEMENT: readonly Role[] = ['enforcement_clerk', 'enforcement_supervisor'];
const OUTREACH: readonly Role[] = ['outreach_worker', 'programme_manager'];
const TREATMENT: readonly Role[] = ['treatment_staff', 'programme_manager'];
const ALL: readonly Role[] = ROLES;

interface Rule {
  /** Who may: 'public' needs no session; otherwise the roles allowed. */
  who: 'public' | readonly Role[];
  /** Allowed while the account still has to replace its one-time password. */
  duringPasswordChange?: boolean;
  /** Client-level health data: only inside the recording health organisation (checked per record). */
  clientLevel?: boolean;
}

export const RULES = {
  'auth.login': { who: 'public' },
  'auth.logout': { who: ALL, duringPasswordChange: true },
  'auth.me': { who: ALL, duringPasswordChange: true },
  'auth.update_me': { who: ALL, duringPasswordChange: true },
  'auth.change_password': { who: ALL, duringPasswordChange: true },
  'reference.read': { who: ALL },
  'geography.read': { who: ALL },
  'geography.import': { who: ['administrator'] },
  'organisation.read': { who: ALL },
  'organisation.write': { who: ['administrator'] },
  'account.read': { who: ['administrator'] },
  'account.write': { who: ['administrator'] },
  'audit.read': { who: ['auditor'] },
  'audit.verify': { who: ['auditor'] },
  'campaign.read': { who: ALL },
  'campaign.write': { who: ['administrator', 'analyst'] },
  // Enforcement cases: anonymous, but still scoped — a clerk to the unit, a supervisor to the units under the organisation.
  'case.read': { who: ENFORCEMENT },
  'case.write': { who: ENFORCEMENT },
  // Enforcement aggregates (the committee's report): national figures, no person-level rows.
  'enforcement.report': { who: ['analyst', 'enforcement_clerk', 'enforcement_supervisor'] },
  // Client-level health data (clients, contacts, admissions, hotspots): used by the health pillars.
  'client.read': { who: HEALTH_CLIENT_ROLES, clientLevel: true },
  'client.write': { who: ['treatment_staff', 'outreach_worker', 'programme_manager'], clientLevel: true },
  // Harm reduction (issue 4). The UIC format and follow-up setting of the outreach app.
  'outreach.config': { who: HEALTH_CLIENT_ROLES, clientLevel: true },
  // Outreach devices: registered by outreach staff; listed by them (own / organisation's) and by administrators;
  // revoked by the programme manager (organisation's devices) or an administrator.
  'device.register': { who: OUTREACH, clientLevel: true },
  'device.read': { who: ['outreach_worker', 'programme_manager', 'administrator'] },
  'device.revoke': { who: ['programme_manager', 'administrator'] },
  // Offline sync of client-level records, scoped to the own organisation (clientScope).
  'sync.push': { who: OUTREACH, clientLevel: true },
  'sync.pull': { who: OUTREACH, clientLevel: true },
  // Hotspots are client-level (where people who use drugs gather): read by health staff, managed by the programme manager.
  'hotspot.read': { who: HEALTH_CLIENT_ROLES, clientLevel: true },
  'hotspot.write': { who: ['programme_manager'], clientLevel: true },
  // Duplicates and the organisation's own (unsuppressed) indicators: the programme manager.
  'client.manage': { who: ['programme_manager'], clientLevel: true },
  'outreach.indicators': { who: ['programme_manager'], clientLevel: true },
  // Aggregates of health data for everyone else: suppressed (src/core/suppression.ts), never a client-level field.
  'health.aggregates': { who: ALL },
  // Treatment (issue 5). The centre register holds no client data: every signed-in user reads it; the administrator
  // keeps it. Admissions are client-level: staff of the organisation that runs the centre record and read them, and
  // see their centres' exact figures. Everyone else gets the national view, suppressed.
  'centre.read': { who: ALL },
  'centre.write': { who: ['administrator'] },
  'admission.read': { who: TREATMENT, clientLevel: true },
  'admission.write': { who: ['treatment_staff'], clientLevel: true },
  'treatment.centre_view': { who: TREATMENT, clientLevel: true },
  'treatment.national': { who: ALL },
  // Education (issue 5): the officer records and lists the own organisation's sessions; the national view is for all.
  'education.read': { who: ['education_officer'] },
  'education.write': { who: ['education_officer'] },
  'education.national': { who: ALL },
} as const satisfies Record<string, Rule>;

export type Action = keyof typeof RULES;

export type Decision = 'allow' | 'unauthenticated' | 'forbidden' | 'password_change_required';

/** Pure decision for an action, without a record. */
export function decide(actor: Actor | null, action: Action): Decision {
  const rule: Rule = RULES[action];
  if (rule.who === 'public') return 'allow';
  if (!actor) return 'unauthenticated';
  if (actor.mustChangePassword && !rule.duringPasswordChange) return 'password_change_required';
  if (!rule.who.includes(actor.role)) return 'forbidden';
  if (rule.clientLevel && actor.sector !== 'health') return 'forbidden';
  return 'allow';
}

export function authorize(actor: Actor | null, action: Action): void {
  const d = decide(actor, action);
  if (d === 'allow') return;
  if (d === 'unauthenticated') throw unauthorized();
  if (d === 'password_change_required') throw new HttpError(403, 'password_change_required', 'change your one-time password first');
  throw forbidden();
}

/**
 * May this actor see this client-level record? Only when it was recorded by the actor's own health organisation.
 * Callers treat `false` as "not found" (404), so a guessed id of another organisation's record answers exactly like
 * an id that does not exist.
 */
export function mayReadClientRecord(actor: Actor, record: { organisationId: string }): boolean {
  return decide(actor, 'client.read') === 'allow' && actor.organisationId === record.organisationId;
}

/** The organisation every client-level query must be scoped to; throws 403 for anyone outside health client roles. */
export type ClientAction = { [A in Action]: (typeof RULES)[A] extends { clientLevel: true } ? A : never }[Action];
export function clientScope(actor: Actor | null, action: ClientAction): { organisationId: string } {
  authorize(actor, action);
  return { organisationId: actor!.organisationId };
}

/** Suppression rule for aggregates of people from health data leaving the organisation. */
export function mustSuppressHealthAggregates(actor: Actor, dataOrganisationId?: string): boolean {
  return !(actor.sector === 'health' && dataOrganisationId !== undefined && actor.organisationId === dataOrganisationId);
}

/**
 * The organisations whose enforcement cases an actor may see and edit: a clerk, the own unit; a supervisor, the own
 * organisation and every organisation below it. `tree` is the enforcement organisations' parent links.
 */
export function caseScope(actor: Actor | null, action: 'case.read' | 'case.write', tree: readonly { id: string; parentId: string | null }[]): string[] {
  authorize(actor, action);
  if (actor!.role !== 'enforcement_supervisor') return [actor!.organisationId];
  const out = new Set([actor!.organisationId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const o of tree) {
      if (o.parentId && out.has(o.parentId) && !out.has(o.id)) {
        out.add(o.id);
        grew = true;
      }
    }
  }
  return [...out];
}
