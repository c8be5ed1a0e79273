/** Shared by the benchmarks: a seeded generator for synthetic data, a timer, and the median of repeated runs. */
import { performance } from 'node:perf_hooks';

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 4294967296);
}

export async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const r = await fn();
  return [performance.now() - t0, r];
}

/** The median duration (ms) of `runs` runs of `fn`. */
export async function median(fn: () => Promise<unknown>, runs: number): Promise<number> {
  const ts: number[] = [];
  for (let i = 0; i < runs; i++) ts.push((await time(fn))[0]);
  ts.sort((a, b) => a - b);
  return ts[Math.floor(ts.length / 2)];
}

/**
 * Run `fn` under the V8 CPU profiler when BENCH_CPU_PROFILE names a directory (the profile is written there as
 * `<name>.cpuprofile`, to open in Chrome's DevTools); otherwise just run it.
 */
export async function profiled<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const dir = process.env.BENCH_CPU_PROFILE;
  if (!dir) return fn();
  const { Session } = await import('node:inspector/promises');
  const { mkdir, writeFile } = await import('node:fs/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    await mkdir(dir, { recursive: true });
    await writeFile(`${dir}/${name.replace(/[^a-z0-9-]+/gi, '_')}.cpuprofile`, JSON.stringify(profile));
    session.disconnect();
  }
}
