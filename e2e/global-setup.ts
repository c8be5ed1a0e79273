/**
 * Starts one Tonle server per Playwright project, each on a fresh database (a temporary PGlite folder, or a fresh
 * database on the DATABASE_URL server), with the demo dataset, and records the administrator's one-time password
 * that the server prints once at first start.
 */
import { startServer } from './server-process.js';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { FullConfig } from '@playwright/test';
import { STATE_DIR, STATE_FILE, type ServerInfo } from './servers.js';

async function freshDatabaseUrl(base: string): Promise<{ url: string; name: string }> {
  const name = `tonle_e2e_${randomBytes(6).toString('hex')}`;
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  await c.query(`create database ${name}`); // hex-only generated name
  await c.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  return { url: u.toString(), name };
}

async function start(project: string, port: number, env: NodeJS.ProcessEnv): Promise<ServerInfo> {
  const s = await startServer(port, env, { detached: true });
  s.child.unref();
  return { project, url: s.url, pid: s.pid, adminPassword: s.adminPassword, dataDir: env.TONLE_DATA_DIR };
}

export default async function globalSetup(config: FullConfig) {
  mkdirSync(STATE_DIR, { recursive: true });
  const servers: ServerInfo[] = [];
  let port = Number(process.env.E2E_PORT || 3377);
  for (const p of config.projects) {
    const env: NodeJS.ProcessEnv = { ...process.env };
    let database: string | undefined;
    if (process.env.DATABASE_URL) {
      const fresh = await freshDatabaseUrl(process.env.DATABASE_URL);
      env.DATABASE_URL = fresh.url;
      database = fresh.name;
    } else {
      env.TONLE_DATA_DIR = mkdtempSync(join(tmpdir(), `tonle-e2e-${p.name}-`));
    }
    const info = await start(p.name, port++, env);
    servers.push({ ...info, database });
  }
  writeFileSync(STATE_FILE, JSON.stringify(servers, null, 2));
}
