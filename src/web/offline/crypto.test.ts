// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { checkVerifier, deriveKey, makeVerifier, MIN_ITERATIONS, newSalt, open, PBKDF2_ITERATIONS, seal, uuid } from './crypto';

describe('device store encryption', () => {
  it('derives with PBKDF2-SHA-256 at ≥ 200,000 iterations and refuses fewer', async () => {
    expect(PBKDF2_ITERATIONS).toBeGreaterThanOrEqual(200_000);
    await expect(deriveKey('correct horse', newSalt(), MIN_ITERATIONS - 1)).rejects.toThrow();
  });

  it('round-trips a record and uses a fresh IV each time', async () => {
    const key = await deriveKey('correct horse', newSalt());
    const rec = { id: uuid(), uic: 'SKDRM950312', needles: { '27G': 10 } };
    const a = await seal(key, rec, `outbox/${rec.id}`);
    const b = await seal(key, rec, `outbox/${rec.id}`);
    expect(Buffer.from(a.iv).equals(Buffer.from(b.iv))).toBe(false);
    expect(Buffer.from(a.ct).equals(Buffer.from(b.ct))).toBe(false);
    expect(Buffer.from(a.ct).toString('latin1')).not.toContain('SKDRM950312');
    expect(await open(key, a, `outbox/${rec.id}`)).toEqual(rec);
  });

  it('detects a wrong passphrase with the verifier, and a wrong key cannot open a record', async () => {
    const salt = newSalt();
    const key = await deriveKey('correct horse', salt);
    const verifier = await makeVerifier(key);
    expect(await checkVerifier(await deriveKey('correct horse', salt), verifier)).toBe(true);
    const wrong = await deriveKey('correct horsf', salt);
    expect(await checkVerifier(wrong, verifier)).toBe(false);
    const sealed = await seal(key, { a: 1 }, 'clients/x');
    await expect(open(wrong, sealed, 'clients/x')).rejects.toThrow();
  });

  it('binds a record to its place: it cannot be moved to another row', async () => {
    const key = await deriveKey('correct horse', newSalt());
    const sealed = await seal(key, { a: 1 }, 'clients/1');
    await expect(open(key, sealed, 'clients/2')).rejects.toThrow();
  });

  it('makes UUIDs', () => {
    expect(uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
