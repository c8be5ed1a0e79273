/**
 * Starts one Tonle server per Playwright project, each on a fresh database (a temporary PGlite folder, or a fresh
 * database on the DATABASE_URL server), with the demo dataset, and records the administrator's one-time password
 * that the server prints once at first start.
 */
import { spawn } from 'node:child_process';
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

function start(project: string, port: number, env: NodeJS.ProcessEnv): Promise<ServerInfo> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts', '--demo'], {
      env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    let password = '';
    const timer = setTimeout(() => reject(new Error(`server for ${project} did not start:\n${out}`)), 90_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      password ||= /one-time password: (\S+)/.exec(out)?.[1] ?? '';
      const url = /Tonle is running at (\S+)/.exec(out)?.[1];
      if (url && password) {
        clearTimeout(timer);
        child.unref();
        resolve({ project, url, pid: child.pid!, adminPassword: password, dataDir: env.TONLE_DATA_DIR });
      }
    });
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => reject(new Error(`server for ${project} exited with ${code}:\n${out}`)));
  });
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
