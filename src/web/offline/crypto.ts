/**
 * Encryption at rest for the outreach device store (pure WebCrypto, no storage here).
 *
 * - The key is derived from a passphrase the worker chooses on this device (not the account password) with
 *   PBKDF2-SHA-256, a random 16-byte salt kept in the database and ≥ 200,000 iterations. It is an AES-GCM 256 key
 *   created non-extractable: it lives only in memory and cannot be exported, even by code running in the page.
 * - Every record is encrypted on its own with AES-GCM and a fresh random 12-byte IV. The record's table and id are
 *   bound as additional authenticated data, so an encrypted record cannot be moved to another row or table.
 * - A verifier (a known text encrypted with the key) tells a wrong passphrase apart without decrypting any record:
 *   AES-GCM's authentication tag fails for any other key.
 */

export const PBKDF2_ITERATIONS = 310_000;
export const MIN_ITERATIONS = 200_000;
export const MIN_PASSPHRASE_LENGTH = 8;
const VERIFIER_TEXT = 'tonle-outreach-verifier-v1';

/** One encrypted value as kept in IndexedDB: the IV and the ciphertext (with its tag). */
export interface Sealed {
  iv: Uint8Array;
  ct: ArrayBuffer;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new Error('WebCrypto is not available (a secure context is required)');
  return s;
}

export function randomBytes(n: number): Uint8Array {
  const b = new Uint8Array(n);
  globalThis.crypto.getRandomValues(b);
  return b;
}

export function newSalt(): Uint8Array {
  return randomBytes(16);
}

/** A client-generated id (UUID v4), as the contract asks for every record. */
export function uuid(): string {
  if (typeof globalThis.crypto?.randomUUID === 'function') return globalThis.crypto.randomUUID();
  const b = randomBytes(16);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Copy into a fresh ArrayBuffer-backed array (WebCrypto in some engines refuses views of other buffers). */
function bytes(u: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(new ArrayBuffer(u.byteLength));
  out.set(u);
  return out;
}

export async function deriveKey(passphrase: string, salt: Uint8Array, iterations: number = PBKDF2_ITERATIONS): Promise<CryptoKey> {
  if (iterations < MIN_ITERATIONS) throw new Error(`PBKDF2 needs at least ${MIN_ITERATIONS} iterations`);
  const base = await subtle().importKey('raw', enc.encode(passphrase.normalize('NFC')), 'PBKDF2', false, ['deriveKey']);
  return subtle().deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: bytes(salt), iterations },
    base,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/** Encrypt a JSON value; `aad` names where it is stored (table/id). */
export async function seal(key: CryptoKey, value: unknown, aad: string): Promise<Sealed> {
  const iv = randomBytes(12);
  const ct = await subtle().encrypt({ name: 'AES-GCM', iv: bytes(iv), additionalData: enc.encode(aad) }, key, enc.encode(JSON.stringify(value)));
  return { iv, ct };
}

/** Decrypt what `seal` made; throws when the key, the place (aad) or the bytes are not the right ones. */
export async function open<T>(key: CryptoKey, sealed: Sealed, aad: string): Promise<T> {
  const pt = await subtle().decrypt({ name: 'AES-GCM', iv: bytes(sealed.iv), additionalData: enc.encode(aad) }, key, sealed.ct);
  return JSON.parse(dec.decode(pt)) as T;
}

export function makeVerifier(key: CryptoKey): Promise<Sealed> {
  return seal(key, VERIFIER_TEXT, 'meta/verifier');
}

/** True when the key opens the verifier: the passphrase was right. Reveals nothing else. */
export async function checkVerifier(key: CryptoKey, verifier: Sealed): Promise<boolean> {
  try {
    return (await open<string>(key, verifier, 'meta/verifier')) === VERIFIER_TEXT;
  } catch {
    return false;
  }
}

/** SHA-256 hex of a text (the store keeps the owner account's username only as this hash). */
export async function sha256Hex(text: string): Promise<string> {
  const d = await subtle().digest('SHA-256', enc.encode(text));
  return Array.from(new Uint8Array(d), (x) => x.toString(16).padStart(2, '0')).join('');
}
