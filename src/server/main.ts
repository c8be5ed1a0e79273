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

console.log(`Tonle is running at ${url}`);
console.log(`Database: ${engine === 'pglite' ? `embedded PostgreSQL (PGlite) in ${config.dataDir}` : 'PostgreSQL server (DATABASE_URL)'}`);
if (boot.migrations.length) console.log(`Applied migrations: ${boot.migrations.join(', ')}`);
if (boot.admin) {
  console.log('');
  console.log('First start: an administrator account was created. This one-time password is shown only now:');
  console.log(`  username: ${boot.admin.username}`);
  console.log(`  one-time password: ${boot.admin.oneTimePassword}`);
  console.log('You must choose a new password at first sign-in.');
}
if (boot.demo) {
  console.log('');
  console.log('Demo accounts (demo data only; never use on a real deployment):');
  for (const d of boot.demo) console.log(`  ${d.role.padEnd(24)} ${d.username.padEnd(18)} ${d.password}`);
}

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
