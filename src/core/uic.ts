/**
 * The unique identifier code (UIC) of an outreach client, after the FHI 360 / LINKAGES UIC guidelines (2016).
 * Pure: computed on the device (the name parts never leave the form) and validated on the server.
 *
 * FORMAT (deployment setting, env TONLE_UIC_FORMAT, default `M2F2SYYMMDD`) is a sequence of tokens:
 *   M<n>  the first n letter codes of the mother's first name      F<n>  the same for the father's first name
 *   S     sex: M (male), F (female), X (other)                      YYYY / YY  birth year (4 or last 2 digits)
 *   MM    birth month (01–12)                                        DD    birth day (01–31)
 * Unknown parts are written with one `9` per character: an unknown name → `99`, unknown sex → `9`, unknown day → `99`.
 * A name with fewer letter codes than needed is padded with `9` (a one-letter skeleton "A" → "A9").
 *
 * NAME NORMALISATION. Names may be typed in Khmer script or in Latin letters; both are reduced to a consonant skeleton
 * of Latin letter codes so that a Khmer spelling and its usual romanisation give the same letters where possible:
 *  1. Unicode NFD; Latin diacritics (combining marks U+0300–U+036F) are removed; Latin is upper-cased.
 *  2. Spaces, digits (Latin and Khmer), punctuation and any other character not listed below are ignored.
 *  3. A leading vowel — Latin A E I O U, a Khmer independent vowel (ឥ … ឳ) or អ — gives `A`.
 *     Vowels after the first letter are dropped (Latin A E I O U, Khmer dependent vowel signs, a non-leading អ or
 *     independent vowel). A Latin Y after the first letter that is not followed by a vowel is a vowel too
 *     (Srey, Nary, Vuthy); at the start or before a vowel it is the consonant Y (Yim, Sovanyeth).
 *  4. Latin digraphs KH CH TH PH NG NH → K C T P N N (read left to right). Other Latin letters: G → K, J → C,
 *     Q → K, F → P, W → V, X Z → S; B C D H K L M N P R S T V Y stay themselves.
 *  5. Khmer consonants give one letter each: ក ខ គ ឃ → K, ង → N, ច ឆ ជ ឈ → C, ញ → N, ដ ឌ → D, ឋ ឍ → T, ណ → N,
 *     ត ថ ទ ធ → T, ន → N, ប → B, ផ ព ភ → P, ម → M, យ → Y, រ → R, ល ឡ → L, វ → V, ស ឝ ឞ → S, ហ → H.
 *     A subscript consonant (coeng ្ + consonant) counts like the consonant. The nikahit ំ (a final -m sound, as in
 *     សំណាង Samnang) gives M; every other Khmer sign (reahmuk ះ, bantoc ់, …) is ignored.
 *  6. Repeated letters in a row collapse to one (Phalla → PL, ផល្លា → PL; Vannak → VNK, វណ្ណៈ → VN).
 * Examples: Sokha / សុខា → SK; Dara / ដារា → DR; Chenda / ចិន្តា → CN; Srey / ស្រី → SR; Bopha / បុប្ផា → BP;
 * Samnang / សំណាង → SM; Ang / អង្គ → AN; Nary / ណារី → NR.
 */

export const DEFAULT_UIC_FORMAT = 'M2F2SYYMMDD';

/** Letter codes a normalised name can contain. */
export const UIC_LETTERS = 'ABCDHKLMNPRSTVY';

export type UicToken =
  | { kind: 'mother'; length: number }
  | { kind: 'father'; length: number }
  | { kind: 'sex' }
  | { kind: 'year4' }
  | { kind: 'year2' }
  | { kind: 'month' }
  | { kind: 'day' };

/** Parse a format string into tokens; throws on an invalid format (a deployment error, caught at start-up). */
export function parseUicFormat(format: string): UicToken[] {
  const out: UicToken[] = [];
  let i = 0;
  while (i < format.length) {
    const rest = format.slice(i);
    let m: RegExpMatchArray | null;
    if ((m = rest.match(/^([MF])(\d{1,2})/))) {
      const length = Number(m[2]);
      if (length < 1 || length > 9) throw new Error(`UIC format ${format}: a name part takes 1 to 9 letters`);
      out.push({ kind: m[1] === 'M' ? 'mother' : 'father', length });
      i += m[0].length;
    } else if (rest.startsWith('YYYY')) {
      out.push({ kind: 'year4' });
      i += 4;
    } else if (rest.startsWith('YY')) {
      out.push({ kind: 'year2' });
      i += 2;
    } else if (rest.startsWith('MM')) {
      out.push({ kind: 'month' });
      i += 2;
    } else if (rest.startsWith('DD')) {
      out.push({ kind: 'day' });
      i += 2;
    } else if (rest.startsWith('S')) {
      out.push({ kind: 'sex' });
      i += 1;
    } else throw new Error(`UIC format ${format}: unexpected "${rest[0]}" at position ${i + 1}`);
  }
  if (out.length === 0) throw new Error('UIC format is empty');
  return out;
}

export function isValidUicFormat(format: string): boolean {
  try {
    parseUicFormat(format);
    return true;
  } catch {
    return false;
  }
}

const LATIN_VOWELS = new Set(['A', 'E', 'I', 'O', 'U']);
const LATIN_MAP: Record<string, string> = { G: 'K', J: 'C', Q: 'K', F: 'P', W: 'V', X: 'S', Z: 'S' };
const LATIN_DIGRAPHS: Record<string, string> = { KH: 'K', CH: 'C', TH: 'T', PH: 'P', NG: 'N', NH: 'N' };

const KHMER_CONSONANTS: Record<string, string> = {
  ក: 'K', ខ: 'K', គ: 'K', ឃ: 'K', ង: 'N',
  ច: 'C', ឆ: 'C', ជ: 'C', ឈ: 'C', ញ: 'N',
  ដ: 'D', ឋ: 'T', ឌ: 'D', ឍ: 'T', ណ: 'N',
  ត: 'T', ថ: 'T', ទ: 'T', ធ: 'T', ន: 'N',
  ប: 'B', ផ: 'P', ព: 'P', ភ: 'P', ម: 'M',
  យ: 'Y', រ: 'R', ល: 'L', វ: 'V', ឝ: 'S', ឞ: 'S', ស: 'S', ហ: 'H', ឡ: 'L',
};
const KHMER_A = 'អ';
const NIKAHIT = '\u17C6';
const isKhmerIndependentVowel = (c: string) => c >= '\u17A3' && c <= '\u17B3';
const isKhmerDependentVowel = (c: string) => c >= '\u17B6' && c <= '\u17C5';

/**
 * The full consonant skeleton of a name (see the module header), e.g. "Sokha" → "SK", "ចិន្តា" → "CNT".
 * An empty or unreadable name gives "".
 */
export function nameSkeleton(name: string): string {
  const chars = [...name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toUpperCase()];
  const codes: string[] = [];
  let started = false; // a letter (vowel or consonant) has been read
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    let code: string | null = null;
    if (c >= 'A' && c <= 'Z') {
      if (LATIN_VOWELS.has(c)) {
        if (!started) code = 'A';
      } else if (c === 'Y' && started && !LATIN_VOWELS.has(chars[i + 1] ?? '')) {
        // a Y after the first letter and not before a vowel is a vowel (Srey, Nary, Vuthy): dropped
      } else {
        const pair = c + (chars[i + 1] ?? '');
        if (LATIN_DIGRAPHS[pair]) {
          code = LATIN_DIGRAPHS[pair];
          i++;
        } else code = LATIN_MAP[c] ?? c;
      }
      started = true;
    } else if (KHMER_CONSONANTS[c]) {
      code = KHMER_CONSONANTS[c];
      started = true;
    } else if (c === KHMER_A || isKhmerIndependentVowel(c)) {
      if (!started) code = 'A';
      started = true;
    } else if (isKhmerDependentVowel(c)) {
      started = true;
    } else if (c === NIKAHIT) {
      if (started) code = 'M';
    }
    // everything else (coeng, other signs, digits, spaces, punctuation, other scripts) is ignored
    if (code && codes[codes.length - 1] !== code) codes.push(code);
  }
  return codes.join('');
}

/** The first `n` letter codes of a name, padded with 9; an unknown (null/empty/unreadable) name gives n × 9. */
export function nameCode(name: string | null | undefined, n: number): string {
  const s = name ? nameSkeleton(name).slice(0, n) : '';
  return s.padEnd(n, '9');
}

export type UicSex = 'male' | 'female' | 'other';
export const SEX_CODES: Record<UicSex, string> = { male: 'M', female: 'F', other: 'X' };

export interface UicInput {
  motherName?: string | null;
  fatherName?: string | null;
  sex?: UicSex | null;
  /** 'YYYY-MM-DD' (takes precedence), or the parts below; any part may be unknown (null). */
  birthDate?: string | null;
  birthYear?: number | null;
  birthMonth?: number | null;
  birthDay?: number | null;
}

const two = (n: number | null | undefined, max: number) => (n && Number.isInteger(n) && n >= 1 && n <= max ? String(n).padStart(2, '0') : '99');

export function computeUic(input: UicInput, format: string = DEFAULT_UIC_FORMAT): string {
  let year = input.birthYear ?? null;
  let month = input.birthMonth ?? null;
  let day = input.birthDay ?? null;
  const d = input.birthDate?.match(/^(\d{4})-(\d{2})-(\d{2})$/);
  if (d) [year, month, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
  const validYear = year !== null && Number.isInteger(year) && year >= 1000 && year <= 9999;
  return parseUicFormat(format)
    .map((t) => {
      switch (t.kind) {
        case 'mother':
          return nameCode(input.motherName, t.length);
        case 'father':
          return nameCode(input.fatherName, t.length);
        case 'sex':
          return input.sex ? SEX_CODES[input.sex] : '9';
        case 'year4':
          return validYear ? String(year) : '9999';
        case 'year2':
          return validYear ? String(year).slice(2) : '99';
        case 'month':
          return two(month, 12);
        case 'day':
          return two(day, 31);
      }
    })
    .join('');
}

/** The RegExp a UIC of this format must match (used by the server to validate a UIC sent by a device). */
export function uicPattern(format: string = DEFAULT_UIC_FORMAT): RegExp {
  const parts = parseUicFormat(format).map((t) => {
    switch (t.kind) {
      case 'mother':
      case 'father':
        // letter codes first, then 9 padding (or all 9s for an unknown name)
        return `(?:[${UIC_LETTERS}]{${t.length}}${Array.from({ length: t.length }, (_, k) => `|[${UIC_LETTERS}]{${t.length - 1 - k}}9{${k + 1}}`).join('')})`;
      case 'sex':
        return '[MFX9]';
      case 'year4':
        return '(?:\\d{4})';
      case 'year2':
        return '\\d{2}';
      case 'month':
        return '(?:0[1-9]|1[0-2]|99)';
      case 'day':
        return '(?:0[1-9]|[12]\\d|3[01]|99)';
    }
  });
  return new RegExp(`^${parts.join('')}$`);
}

/** The length of a UIC of this format. */
export function uicLength(format: string = DEFAULT_UIC_FORMAT): number {
  return parseUicFormat(format).reduce((n, t) => n + (t.kind === 'mother' || t.kind === 'father' ? t.length : t.kind === 'sex' ? 1 : t.kind === 'year4' ? 4 : 2), 0);
}

/** Number of characters that differ between two UICs of the same length; Infinity when the lengths differ. */
export function uicDistance(a: string, b: string): number {
  if (a.length !== b.length) return Infinity;
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}
