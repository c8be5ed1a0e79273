import { describe, expect, it } from 'vitest';
import { canonicalJson, entryHash, GENESIS, type AuditContent } from '../../src/server/audit/chain.js';

describe('canonicalJson', () => {
  it('does not depend on key order, at any depth', () => {
    const a = { b: 1, a: { y: [1, { q: 2, p: 1 }], x: 'k' }, c: null };
    const b = { c: null, a: { x: 'k', y: [1, { p: 1, q: 2 }] }, b: 1 };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe('{"a":{"x":"k","y":[1,{"p":1,"q":2}]},"b":1,"c":null}');
  });

  it('keeps array order, drops undefined properties, maps undefined to null', () => {
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson('ភ្នំ"')).toBe(JSON.stringify('ភ្នំ"'));
  });
});

describe('entryHash', () => {
  const base: AuditContent = {
    at: new Date('2026-11-29T12:00:00.123Z'),
    accountId: '11111111-1111-4111-8111-111111111111',
    organisationId: '22222222-2222-4222-8222-222222222222',
    action: 'organisation.create',
    entity: 'organisation',
    entityId: '33333333-3333-4333-8333-333333333333',
    ip: '127.0.0.1',
    details: { after: { name: 'x', sector: 'health' } },
  };

  it('is a sha-256 hex digest, deterministic, independent of details key order', () => {
    const h = entryHash(GENESIS, base);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(entryHash(GENESIS, { ...base })).toBe(h);
    expect(entryHash(GENESIS, { ...base, details: { after: { sector: 'health', name: 'x' } } })).toBe(h);
  });

  it('changes when any field or the previous hash changes', () => {
    const h = entryHash(GENESIS, base);
    const variants: Partial<AuditContent>[] = [
      { at: new Date('2026-11-29T12:00:00.124Z') },
      { accountId: null },
      { organisationId: '22222222-2222-4222-8222-222222222223' },
      { action: 'organisation.update' },
      { entity: 'account' },
      { entityId: null },
      { ip: '10.0.0.1' },
      { details: { after: { name: 'y', sector: 'health' } } },
      { details: {} },
    ];
    const seen = new Set([h]);
    for (const v of variants) {
      const hv = entryHash(GENESIS, { ...base, ...v });
      expect(hv, JSON.stringify(v)).not.toBe(h);
      seen.add(hv);
    }
    expect(seen.size).toBe(variants.length + 1);
    expect(entryHash('f'.repeat(64), base)).not.toBe(h);
  });

  it('treats missing details like empty details', () => {
    expect(entryHash(GENESIS, { ...base, details: undefined })).toBe(entryHash(GENESIS, { ...base, details: {} }));
  });
});
