/** `npm start`: open the database (PGlite in TONLE_DATA_DIR, or DATABASE_URL), migrate, bootstrap, serve API and web app. */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildApp } from './app.js';
import { bootstrap } from './bootstrap.js';
import { loadConfig } from './config.js';
import { openDatabase } from './db/index.js';

const config = loadConfig();
const demo = process.argv.includes('--demo') || process.env.TONLE_DEMO === '1';
if (!config.databaseUrl) mkdirSync(config.dataDir, { recursive: true });
const { db, engine, close } = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
const boot = await bootstrap(db, { demo, sampleGeographyCsv: resolve('reference/geography-sample-phnom-penh.csv') });
const app = await buildApp({ db, webDir: config.webDir, logger: process.env.TONLE_LOG === '1', secureCookies: config.secureCookies });
await app.listen({ host: config.host, port: config.port });
const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;

// One write, so that a process reading the output sees the URL and the one-time password together.
const lines = [`Tonle is running at ${url}`];
lines.push(`Database: ${engine === 'pglite' ? `embedded PostgreSQL (PGlite) in ${config.dataDir}` : 'PostgreSQL server (DATABASE_URL)'}`);
if (boot.migrations.length) lines.push(`Applied migrations: ${boot.migrations.join(', ')}`);
if (boot.admin) {
  lines.push('', 'First start: an administrator account was created. This one-time password is shown only now:');
  lines.push(`  username: ${boot.admin.username}`, `  one-time password: ${boot.admin.oneTimePassword}`, 'You must choose a new password at first sign-in.');
}
if (boot.demo) {
  lines.push('', 'Demo accounts (demo data only; never use on a real deployment):');
  for (const d of boot.demo) lines.push(`  ${d.role.padEnd(24)} ${d.username.padEnd(18)} ${d.password}`);
}
console.log(lines.join('\n'));

let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, async () => {
    if (stopping) return;
    stopping = true;
    await app.close();
    await close();
    process.exit(0);
  });
}
