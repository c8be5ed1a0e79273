/** A small seeded generator of random JSON values, for bounded fuzzing of the write routes. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** Characters for random strings. `SAFE` avoids NUL and lone surrogates; `FULL` includes them. */
export const SAFE_CHARS = ['a', 'Z', '0', ' ', '-', '.', '"', '\\', '<', '>', '\n', '\t', 'ក', 'ភ្នំ', 'é', '😀', '\u202e', '%', "'", '{', '}'];
export const FULL_CHARS = [...SAFE_CHARS, '\u0000', '\u0001', '\ud800', '\udfff'];

/** Field names worth trying: the real ones of every body, and some that must never be accepted. */
const KEYS = [
  'name', 'sector', 'kind', 'provinceCode', 'districtCode', 'communeCode', 'status', 'username', 'password', 'role', 'organisationId',
  'disabled', 'locale', 'currentPassword', 'newPassword', 'id', '__proto__', 'constructor', 'phone', 'address', '',
];
const WORDS = ['health', 'ngo', 'enforcement', 'police_unit', 'KH-12', '1201', '120101', 'closed', 'active', 'km', 'en', 'analyst', 'administrator', 'true', '00000000-0000-4000-8000-000000000000'];

export function randomString(r: () => number, chars: readonly string[]): string {
  if (r() < 0.3) return WORDS[Math.floor(r() * WORDS.length)];
  const n = r() < 0.05 ? 300 : Math.floor(r() * 20);
  let s = '';
  for (let i = 0; i < n; i++) s += chars[Math.floor(r() * chars.length)];
  return s;
}

export function randomValue(r: () => number, chars: readonly string[], depth = 0): unknown {
  const k = r();
  if (depth > 3 || k < 0.15) return [null, true, false, 0, -1, 1.5, 1e308, -0, 2 ** 53 + 1][Math.floor(r() * 9)];
  if (k < 0.45) return randomString(r, chars);
  if (k < 0.6) return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, chars, depth + 1));
  const o: Record<string, unknown> = {};
  const n = Math.floor(r() * 5);
  for (let i = 0; i < n; i++) {
    const key = r() < 0.7 ? KEYS[Math.floor(r() * KEYS.length)] : randomString(r, chars);
    // defineProperty, so that "__proto__" becomes a real key of the JSON text
    Object.defineProperty(o, key, { value: randomValue(r, chars, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return o;
}

/** A valid body with one field changed, dropped or added. */
export function mutate(r: () => number, chars: readonly string[], base: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  const keys = Object.keys(base);
  const k = r();
  if (k < 0.6 && keys.length) out[keys[Math.floor(r() * keys.length)]] = r() < 0.7 ? randomString(r, chars) : randomValue(r, chars, 2);
  else if (k < 0.8 && keys.length) delete out[keys[Math.floor(r() * keys.length)]];
  else Object.defineProperty(out, KEYS[Math.floor(r() * KEYS.length)], { value: randomValue(r, chars, 2), enumerable: true, writable: true, configurable: true });
  return out;
}

/** A random request body: a mutated valid body (when given), a JSON value, or raw text that may not be JSON at all. */
export function randomBody(r: () => number, chars: readonly string[], base?: Record<string, unknown>): { payload: string; contentType: string } {
  if (base && r() < 0.5) return { payload: JSON.stringify(mutate(r, chars, base)), contentType: 'application/json' };
  const k = r();
  if (k < 0.1) return { payload: randomString(r, chars), contentType: 'application/json' };
  if (k < 0.15) return { payload: randomString(r, chars), contentType: 'text/csv' };
  return { payload: JSON.stringify(randomValue(r, chars)) ?? 'null', contentType: 'application/json' };
}
