/**
 * Issue 9, point 6, in one run: every national view's benchmark on PostgreSQL and on PGlite, one after the other (a
 * child process each, so that one engine's memory and caches never flatter the other), with each bench's own table
 * of Tonle against the raw GROUP BY printed under its engine and scale.
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node --import tsx bench/national.ts
 *   BENCH_SUITES=treatment,enforcement  (default: enforcement, treatment, education, harm-reduction)
 *   BENCH_ENGINES=postgres              (default: postgres,pglite)
 * Scale (national, from the brief: five years, ~1 M cases with ~2.5 M persons, ~20 M contacts, ~200 k admissions)
 * is each bench's own, set below per engine. PGlite runs in memory, in one WebAssembly heap: the enforcement and
 * harm-reduction benches run there at the largest scale it holds (the table says which). Harm reduction on
 * PostgreSQL reuses a kept database (BENCH_KEEP_DB, built once: 20 M contacts take about 50 minutes to generate
 * and summarise) when BENCH_HR_DB names one; on PGlite, BENCH_HR_PGLITE_DB names a kept data folder on disk.
 * Nothing here asserts a time.
 */
import { spawn } from 'node:child_process';

type Engine = 'postgres' | 'pglite';
const SUITES = (process.env.BENCH_SUITES ?? 'enforcement,treatment,education,harm-reduction').split(',');
const ENGINES = (process.env.BENCH_ENGINES ?? 'postgres,pglite').split(',') as Engine[];
const PG_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** The scale of each bench on each engine (environment of the child). */
const SCALE: Record<string, Record<Engine, Record<string, string>>> = {
  enforcement: { postgres: { BENCH_CASES: '1000000' }, pglite: { BENCH_CASES: '200000' } },
  treatment: { postgres: { BENCH_ADMISSIONS: '200000', BENCH_CASES: '50000' }, pglite: { BENCH_ADMISSIONS: '200000', BENCH_CASES: '50000' } },
  education: { postgres: {}, pglite: {} },
  'harm-reduction': {
    postgres: { BENCH_CONTACTS: '20000000', BENCH_CLIENTS: '500000', BENCH_YEARS: '5', ...(process.env.BENCH_HR_DB ? { BENCH_KEEP_DB: process.env.BENCH_HR_DB } : {}) },
    // in memory: a year of 1 M contacts; with BENCH_HR_PGLITE_DB, a data folder on disk (bench/.data/<name>, built
    // once: about 10 minutes) holds five years of 2 M contacts, with a campaign over all of them
    pglite: process.env.BENCH_HR_PGLITE_DB
      ? { BENCH_CONTACTS: '2000000', BENCH_CLIENTS: '50000', BENCH_YEARS: '5', BENCH_KEEP_DB: process.env.BENCH_HR_PGLITE_DB }
      : { BENCH_CONTACTS: '1000000', BENCH_CLIENTS: '50000', BENCH_YEARS: '1' },
  },
};

function run(suite: string, engine: Engine): Promise<{ code: number | null; out: string; ms: number }> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...SCALE[suite]?.[engine] };
  if (engine === 'pglite') delete env.DATABASE_URL;
  else env.DATABASE_URL = PG_URL;
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', `bench/${suite}.ts`], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => resolve({ code, out, ms: Date.now() - started }));
  });
}

const report: string[] = [];
for (const suite of SUITES) {
  for (const engine of ENGINES) {
    const scale = Object.entries(SCALE[suite]?.[engine] ?? {})
      .filter(([k]) => k !== 'BENCH_KEEP_DB')
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    process.stderr.write(`\n== ${suite} on ${engine} ${scale}\n`);
    const r = await run(suite, engine);
    report.push(`## ${suite} — ${engine === 'postgres' ? 'PostgreSQL' : 'PGlite'}${scale ? ` (${scale})` : ''}, ${(r.ms / 60000).toFixed(1)} min${r.code === 0 ? '' : ` — FAILED (exit ${r.code})`}\n${r.out.trim()}\n`);
    process.stdout.write(`${report[report.length - 1]}\n`);
  }
}
process.stderr.write('\n== all suites done\n');
