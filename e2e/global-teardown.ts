import { existsSync, readFileSync, rmSync } from 'node:fs';
import pg from 'pg';
import { STATE_FILE, type ServerInfo } from './servers.js';

export default async function globalTeardown() {
  if (!existsSync(STATE_FILE)) return;
  const servers = JSON.parse(readFileSync(STATE_FILE, 'utf8')) as ServerInfo[];
  for (const s of servers) {
    try {
      process.kill(-s.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
  await new Promise((r) => setTimeout(r, 1500));
  for (const s of servers) {
    if (s.dataDir) rmSync(s.dataDir, { recursive: true, force: true });
    if (s.database && process.env.DATABASE_URL) {
      const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await c.connect();
      await c.query(`drop database if exists ${s.database} with (force)`); // hex-only generated name
      await c.end();
    }
  }
  rmSync(STATE_FILE, { force: true });
}
