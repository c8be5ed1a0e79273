/**
 * The outreach worker's offline day (issue 4, "done when"), on the phone viewport:
 * sign in, go offline, register a client from names typed in Khmer, record 20 contacts, reload the page, close and
 * reopen the browser, come back online and sync. The server then holds exactly those records once — although the
 * first push reaches the server and the server is killed before it can answer (the app never hears back), and the
 * next push is delivered three times.
 *
 * The browser talks to the server through a small proxy in this test, which is how the test kills the server in the
 * middle of a sync and replays a batch; the app itself is unchanged.
 */
import { expect, test, chromium, request, type BrowserContext, type Page } from '@playwright/test';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startServer, stopServer, type Started } from './server-process.js';
import { en, signIn } from './lib.js';

const PASSPHRASE = 'street team passphrase';
const SERVER_PORT = 3391;
const O = en.outreach;


function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Send one request to the server and collect the whole answer. */
function forward(method: string, path: string, headers: IncomingMessage['headers'], body: Buffer) {
  return new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }>((resolve, reject) => {
    const r = httpRequest({ host: '127.0.0.1', port: SERVER_PORT, method, path, headers: { ...headers, host: `127.0.0.1:${SERVER_PORT}` } }, async (res) => {
      resolve({ status: res.statusCode ?? 502, headers: res.headers, body: await readBody(res) });
    });
    r.on('error', reject);
    r.end(body);
  });
}

test('offline outreach day: 1 client and 20 contacts reach the server exactly once', async ({}, info) => {
  test.skip(info.project.name !== 'phone', 'the outreach app is a phone app: this walk runs once, on the phone viewport');
  test.setTimeout(300_000);
  // The test's own server, on a fresh database, so that it can be killed and restarted.
  const env: NodeJS.ProcessEnv = { ...process.env };
  let dbName: string | undefined;
  let dataDir: string | undefined;
  if (process.env.DATABASE_URL) {
    dbName = `tonle_e2e_${randomBytes(6).toString('hex')}`;
    const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await c.connect();
    await c.query(`create database ${dbName}`); // hex-only generated name
    await c.end();
    const u = new URL(process.env.DATABASE_URL);
    u.pathname = `/${dbName}`;
    env.DATABASE_URL = u.toString();
  } else {
    dataDir = mkdtempSync(join(tmpdir(), 'tonle-e2e-outreach-'));
    env.TONLE_DATA_DIR = dataDir;
  }
  let server: Started = await startServer(SERVER_PORT, env);

  // The proxy: normal traffic passes through; the sync pushes follow the script below.
  let pushes = 0;
  let killedMidSync = false;
  const proxy: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const path = req.url ?? '/';
    try {
      if (req.method === 'POST' && path.startsWith('/api/sync/push')) {
        pushes++;
        if (pushes === 1) {
          // The server receives and stores the batch; then it dies before the app hears the answer.
          await forward('POST', path, req.headers, body);
          await stopServer(server);
          killedMidSync = true;
          req.socket.destroy();
          return;
        }
        if (pushes === 2) {
          // The same batch is delivered three times; the app gets the third answer.
          await forward('POST', path, req.headers, body);
          await forward('POST', path, req.headers, body);
        }
      }
      const answer = await forward(req.method ?? 'GET', path, req.headers, body);
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    } catch {
      req.socket.destroy(); // the server is down: the app sees a network failure
    }
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;

  const profile = mkdtempSync(join(tmpdir(), 'tonle-e2e-profile-'));
  const launch = () =>
    chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2,
    });
  let ctx: BrowserContext = await launch();
  let page: Page = ctx.pages()[0] ?? (await ctx.newPage());
  const waiting = () => page.getByTestId('outbox-count');
  const unlock = async () => {
    await page.getByLabel(O.gate.passphrase, { exact: true }).fill(PASSPHRASE);
    await page.getByRole('button', { name: O.gate.unlock }).click();
  };

  try {
    // Online: sign in once, protect the device, let the service worker take the app.
    await page.goto(url);
    await signIn(page, 'demo-outreach', 'demo-outreach-password');
    await page.getByLabel(O.gate.passphrase, { exact: true }).fill(PASSPHRASE);
    await page.getByLabel(O.gate.passphraseAgain).fill(PASSPHRASE);
    await page.getByRole('button', { name: O.gate.setup }).click();
    await expect(waiting()).toHaveText('0');
    // Let the first sync (device registration, pull) finish writing to the device store before going offline.
    await expect(page.getByText(O.status.neverSynced)).toHaveCount(0, { timeout: 30_000 });
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));

    // Offline from here on.
    await ctx.setOffline(true);
    await page.reload();
    await expect(page.getByTestId('offline-mode')).toBeVisible();
    await unlock();

    // A new client from names typed in Khmer.
    await page.getByTestId('go-new-client').click();
    await page.getByTestId('mother-name').fill('សុខា');
    await page.getByTestId('father-name').fill('ដារា');
    await page.getByRole('radio', { name: O.sexes.female }).check();
    await page.getByLabel(O.uic.year).fill('១៩៩៨');
    await page.getByLabel(O.uic.month).selectOption('7');
    const uic = (await page.getByTestId('uic-value').innerText()).trim();
    expect(uic).toMatch(/^SKDRF9807\d\d$/);
    await page.getByTestId('save-client').click();
    await expect(page.getByTestId('mother-name')).toHaveCount(0);

    // Twenty contacts for this client (saving the client opens its contact form).
    for (let i = 0; i < 20; i++) {
      if (i > 0) await page.getByRole('button', { name: O.home.again }).first().click();
      await expect(page.getByTestId('contact-client')).toContainText(uic);
      await page.getByRole('radio', { name: O.settings.drop_in }).check({ timeout: 10_000 });
      await page.getByTestId('needles-27G').fill(String(10 + i));
      await page.getByTestId('save-contact').click();
      await expect(waiting()).toHaveText(String(i + 2));
    }
    await page.screenshot({ path: `test-results/screenshots/phone/60-outreach-offline-21-waiting.png` });

    // Reload: still 21 waiting.
    await page.reload();
    await unlock();
    await expect(waiting()).toHaveText('21');

    // Close the browser and open it again, still offline: still 21 waiting.
    await ctx.close();
    ctx = await launch();
    await ctx.setOffline(true);
    page = ctx.pages()[0] ?? (await ctx.newPage());
    await page.goto(url);
    await expect(page.getByTestId('offline-mode')).toBeVisible();
    await unlock();
    await expect(waiting()).toHaveText('21');

    // Online again. The first push reaches the server, which dies before answering: nothing is lost.
    await ctx.setOffline(false);
    // The app notices the network by itself.
    // The session cookie did not survive closing the browser: sign in again, then unlock the device's data.
    await expect(page.getByRole('button', { name: en.auth.signIn })).toBeVisible({ timeout: 30_000 });
    await signIn(page, 'demo-outreach', 'demo-outreach-password');
    if (await page.getByLabel(O.gate.passphrase, { exact: true }).isVisible({ timeout: 5_000 }).catch(() => false)) await unlock();
    await expect.poll(() => killedMidSync, { timeout: 60_000 }).toBe(true);
    await expect(waiting()).toHaveText('21');

    // The server comes back; the next sync is delivered three times; the outbox empties.
    server = await startServer(SERVER_PORT, env);
    await page.getByTestId('sync-now').click();
    await expect(waiting()).toHaveText('0', { timeout: 60_000 });
    expect(pushes).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: `test-results/screenshots/phone/61-outreach-synced.png` });

    // On the server: exactly one client with this UIC and exactly 20 contacts, seen by the programme manager.
    const api = await request.newContext(); // its own cookies: the programme manager, not the worker's session
    const login = await api.post(`${url}/api/auth/login`, { data: { username: 'demo-manager', password: 'demo-manager-password' } });
    expect(login.status()).toBe(200);
    const clients = (await (await api.get(`${url}/api/outreach/clients?uic=${uic}`)).json()) as { items: { uic: string }[] };
    expect(clients.items.filter((c) => c.uic === uic)).toHaveLength(1);
    const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
    const ind = (await (await api.get(`${url}/api/outreach/indicators?from=${today}&to=${today}&by=week`)).json()) as { total: { contacts: number } };
    expect(ind.total.contacts).toBe(20);
    await api.dispose();
  } finally {
    await ctx.close().catch(() => undefined);
    await stopServer(server).catch(() => undefined);
    proxy.close();
    rmSync(profile, { recursive: true, force: true });
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (dbName && process.env.DATABASE_URL) {
      const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await c.connect();
      await c.query(`drop database if exists ${dbName} with (force)`); // hex-only generated name
      await c.end();
    }
  }
});
