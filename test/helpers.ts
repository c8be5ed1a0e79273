/**
 * Test harness: a real server (Fastify, via inject) on a real database. Without DATABASE_URL each test file gets a
 * fresh in-memory PGlite; with DATABASE_URL each test file gets a fresh database on that server, dropped at the end.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { buildApp, type AppOptions } from '../src/server/app.js';
import { bootstrap } from '../src/server/bootstrap.js';
import { openDatabase, type Database } from '../src/server/db/index.js';
import type { Role, Sector, OrgKind } from '../src/core/roles.js';

export interface TestDb {
  db: Database;
  engine: 'pglite' | 'postgres';
  close(): Promise<void>;
}

/**
 * A database kept across runs (benchmarks only: `BENCH_KEEP_DB=<name>` builds national-scale data once and measures
 * it as often as needed): created on the DATABASE_URL server if missing, never dropped; without DATABASE_URL, a
 * PGlite data folder `bench/.data/<name>` on disk (not in the WebAssembly heap, so it can hold more than memory).
 * `fresh` tells whether it was created now.
 */
export async function keptDatabase(name: string): Promise<TestDb & { fresh: boolean }> {
  const url = process.env.DATABASE_URL;
  if (!/^[a-z][a-z0-9_]{0,40}$/.test(name)) throw new Error(`keptDatabase: ${name} is not a plain lower-case name`);
  if (!url) {
    const dataDir = `bench/.data/${name}`;
    const fresh = !existsSync(dataDir);
    mkdirSync('bench/.data', { recursive: true }); // PGlite makes the folder, not its parent
    const opened = await openDatabase({ dataDir });
    return { db: opened.db, engine: 'pglite', close: opened.close, fresh };
  }
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const exists = (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount! > 0;
  if (!exists) await admin.query(`create database ${name}`); // name checked above
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  const opened = await openDatabase({ databaseUrl: u.toString() });
  return { db: opened.db, engine: 'postgres', close: opened.close, fresh: !exists };
}

export async function freshDatabase(): Promise<TestDb> {
  const url = process.env.DATABASE_URL;
  if (!url) return openDatabase({});
  const name = `tonle_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`); // name is generated above from hex digits only
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  const opened = await openDatabase({ databaseUrl: u.toString() });
  return {
    db: opened.db,
    engine: 'postgres',
    close: async () => {
      await opened.close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      // The pool's connections may still be closing: wait for them rather than terminating them (a forced drop makes
      // the closing clients emit "terminating connection" errors into the test run).
      for (let i = 0; ; i++) {
        try {
          await c.query(`drop database if exists ${name}${i >= 50 ? ' with (force)' : ''}`);
          break;
        } catch (e) {
          if ((e as { code?: string }).code !== '55006' || i >= 50) throw e;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      await c.end();
    },
  };
}

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** A signed-in (or anonymous) HTTP client: keeps the session cookie and sends the CSRF header. */
export class Client {
  cookie?: string;
  csrf?: string;
  constructor(
    public app: FastifyInstance,
    public ip = '127.0.0.1',
  ) {}

  async request(method: Method, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const h: Record<string, string> = { ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (this.csrf && method !== 'GET') h['x-csrf-token'] ??= this.csrf;
    let payload: string | undefined;
    if (body !== undefined) {
      if (typeof body === 'string') payload = body;
      else {
        payload = JSON.stringify(body);
        h['content-type'] ??= 'application/json';
      }
    }
    return this.app.inject({ method, url, payload, headers: h, remoteAddress: this.ip });
  }
  get(url: string) {
    return this.request('GET', url);
  }
  post(url: string, body?: unknown, headers?: Record<string, string>) {
    return this.request('POST', url, body, headers);
  }
  patch(url: string, body?: unknown) {
    return this.request('PATCH', url, body);
  }

  async login(username: string, password: string): Promise<LightMyRequestResponse> {
    const res = await this.post('/api/auth/login', { username, password });
    if (res.statusCode === 200) {
      const c = res.cookies.find((k) => k.name === 'tonle_sid');
      this.cookie = `tonle_sid=${c!.value}`;
      this.csrf = res.json().csrfToken;
    }
    return res;
  }
}

export interface TestApp {
  app: FastifyInstance;
  db: Database;
  engine: 'pglite' | 'postgres';
  /** The bootstrap administrator, signed in, password already changed. */
  admin: Client;
  anon(): Client;
  /** Create an organisation (as admin) and return its id. */
  org(sector: Sector, kind: OrgKind, name?: string, provinceCode?: string): Promise<string>;
  /** Create an account in an organisation, change its one-time password, and return a signed-in client. */
  user(role: Role, organisationId: string, username?: string): Promise<Client & { accountId: string; username: string; password: string }>;
  close(): Promise<void>;
}

export const ADMIN_PASSWORD = 'admin-password-for-tests';
let counter = 0;

export async function startTestApp(opts: Partial<AppOptions> = {}, kept?: TestDb): Promise<TestApp> {
  const tdb = kept ?? (await freshDatabase());
  const boot = await bootstrap(tdb.db);
  const app = await buildApp({ db: tdb.db, ...opts });
  await app.ready();
  const admin = new Client(app);
  if (boot.admin) {
    const r = await admin.login('admin', boot.admin.oneTimePassword);
    if (r.statusCode !== 200) throw new Error(`admin login failed: ${r.body}`);
    const ch = await admin.post('/api/auth/password', { currentPassword: boot.admin.oneTimePassword, newPassword: ADMIN_PASSWORD });
    if (ch.statusCode !== 200) throw new Error(`admin password change failed: ${ch.body}`);
  } else {
    // a kept database (benchmarks): the administrator's password was changed on its first run
    const r = await admin.login('admin', ADMIN_PASSWORD);
    if (r.statusCode !== 200) throw new Error(`admin login failed on the kept database: ${r.body}`);
  }
  const t: TestApp = {
    app,
    db: tdb.db,
    engine: tdb.engine,
    admin,
    anon: () => new Client(app),
    async org(sector, kind, name, provinceCode = 'KH-12') {
      const res = await admin.post('/api/organisations', { name: name ?? `${kind} ${++counter}`, sector, kind, provinceCode });
      if (res.statusCode !== 201) throw new Error(`org create failed: ${res.body}`);
      return res.json().id;
    },
    async user(role, organisationId, username) {
      const name = username ?? `${role.replace(/_/g, '-')}-${++counter}`;
      const res = await admin.post('/api/accounts', { username: name, role, organisationId });
      if (res.statusCode !== 201) throw new Error(`account create failed: ${res.body}`);
      const { account, oneTimePassword } = res.json();
      const c = new Client(app) as Client & { accountId: string; username: string; password: string };
      await c.login(name, oneTimePassword);
      const password = `${name}-secret-password`;
      const ch = await c.post('/api/auth/password', { currentPassword: oneTimePassword, newPassword: password });
      if (ch.statusCode !== 200) throw new Error(`password change failed: ${ch.body}`);
      c.accountId = account.id;
      c.username = name;
      c.password = password;
      return c;
    },
    async close() {
      await app.close();
      await tdb.close();
    },
  };
  return t;
}
