/** Where global-setup leaves what it started: one server per Playwright project. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const STATE_DIR = join(import.meta.dirname, '.state');
export const STATE_FILE = join(STATE_DIR, 'servers.json');

export interface ServerInfo {
  project: string;
  url: string;
  pid: number;
  adminPassword: string;
  dataDir?: string;
  database?: string;
}

export function serverFor(project: string): ServerInfo {
  const all = JSON.parse(readFileSync(STATE_FILE, 'utf8')) as ServerInfo[];
  const s = all.find((x) => x.project === project);
  if (!s) throw new Error(`no server for project ${project}`);
  return s;
}
