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
