import { describe, expect, it } from 'vitest';
import { EN as en, KM as km } from './catalogues';

type Tree = { [k: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out[key] = v;
    else Object.assign(out, flatten(v, key));
  }
  return out;
}

/** Values that stay the same in Khmer: the product name, acronyms, and each language's own name (an endonym). */
const SAME_VALUES = new Set(['Tonle', 'CSV', 'UIC']);
const SAME_KEYS = new Set(['app.name', 'language.en', 'language.km']);
const KHMER = /[\u1780-\u17FF]/;

const EN = flatten(en as Tree);
const KM = flatten(km as Tree);

describe('translation catalogues', () => {
  it('have exactly the same keys', () => {
    expect(Object.keys(KM).sort()).toEqual(Object.keys(EN).sort());
  });

  it('have no empty value', () => {
    for (const [k, v] of [...Object.entries(EN), ...Object.entries(KM)]) expect(v.trim(), k).not.toBe('');
  });

  it('translate every Khmer value (not a copy of the English one) unless allow-listed', () => {
    const untranslated = Object.keys(EN).filter((k) => KM[k] === EN[k] && !SAME_KEYS.has(k) && !SAME_VALUES.has(EN[k]));
    expect(untranslated).toEqual([]);
  });

  it('write every Khmer value in Khmer script unless allow-listed', () => {
    const notKhmer = Object.entries(KM).filter(([k, v]) => !KHMER.test(v) && !SAME_KEYS.has(k) && !SAME_VALUES.has(v));
    expect(notKhmer).toEqual([]);
  });

  it('use the same interpolation variables in both languages', () => {
    const vars = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const k of Object.keys(EN)) expect(vars(KM[k] ?? ''), k).toEqual(vars(EN[k]));
  });
});
