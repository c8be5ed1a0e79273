/**
 * A tile-grid cartogram of Cambodia: one square per province (ISO 3166-2:KH), placed roughly where the province
 * lies (north at the top, Thailand to the west, Vietnam to the east, the Gulf of Thailand at the bottom).
 * Short labels in both languages, one or two lines each. Pure data and a colour scale; no DOM.
 */
export interface Tile {
  code: string;
  col: number;
  row: number;
  en: string[];
  km: string[];
}

export const TILE_COLS = 7;
export const TILE_ROWS = 6;

export const CAMBODIA_TILES: readonly Tile[] = [
  // North (the Dangrek range and the north-east)
  { code: 'KH-22', col: 2, row: 0, en: ['Oddar', 'Meanchey'], km: ['ឧត្ដរ', 'មានជ័យ'] },
  { code: 'KH-13', col: 3, row: 0, en: ['Preah', 'Vihear'], km: ['ព្រះ', 'វិហារ'] },
  { code: 'KH-19', col: 4, row: 0, en: ['Stung', 'Treng'], km: ['ស្ទឹង', 'ត្រែង'] },
  { code: 'KH-16', col: 5, row: 0, en: ['Ratana-', 'kiri'], km: ['រតន', 'គិរី'] },
  { code: 'KH-1', col: 1, row: 1, en: ['Banteay', 'Meanchey'], km: ['បន្ទាយ', 'មានជ័យ'] },
  { code: 'KH-17', col: 2, row: 1, en: ['Siem', 'Reap'], km: ['សៀម', 'រាប'] },
  { code: 'KH-6', col: 3, row: 1, en: ['Kampong', 'Thom'], km: ['កំពង់', 'ធំ'] },
  { code: 'KH-10', col: 4, row: 1, en: ['Kratie'], km: ['ក្រចេះ'] },
  { code: 'KH-11', col: 5, row: 1, en: ['Mondul-', 'kiri'], km: ['មណ្ឌល', 'គិរី'] },
  // West and centre
  { code: 'KH-24', col: 0, row: 2, en: ['Pailin'], km: ['ប៉ៃលិន'] },
  { code: 'KH-2', col: 1, row: 2, en: ['Battam-', 'bang'], km: ['បាត់', 'ដំបង'] },
  { code: 'KH-15', col: 2, row: 2, en: ['Pursat'], km: ['ពោធិ៍', 'សាត់'] },
  { code: 'KH-4', col: 3, row: 2, en: ['Kampong', 'Chhnang'], km: ['កំពង់', 'ឆ្នាំង'] },
  { code: 'KH-3', col: 4, row: 2, en: ['Kampong', 'Cham'], km: ['កំពង់', 'ចាម'] },
  { code: 'KH-25', col: 5, row: 2, en: ['Tboung', 'Khmum'], km: ['ត្បូង', 'ឃ្មុំ'] },
  // South-centre
  { code: 'KH-9', col: 1, row: 3, en: ['Koh', 'Kong'], km: ['កោះ', 'កុង'] },
  { code: 'KH-5', col: 2, row: 3, en: ['Kampong', 'Speu'], km: ['កំពង់', 'ស្ពឺ'] },
  { code: 'KH-12', col: 3, row: 3, en: ['Phnom', 'Penh'], km: ['ភ្នំ', 'ពេញ'] },
  { code: 'KH-8', col: 4, row: 3, en: ['Kandal'], km: ['កណ្ដាល'] },
  { code: 'KH-14', col: 5, row: 3, en: ['Prey', 'Veng'], km: ['ព្រៃ', 'វែង'] },
  { code: 'KH-20', col: 6, row: 3, en: ['Svay', 'Rieng'], km: ['ស្វាយ', 'រៀង'] },
  // The coast
  { code: 'KH-18', col: 1, row: 4, en: ['Preah', 'Sihanouk'], km: ['ព្រះ', 'សីហនុ'] },
  { code: 'KH-7', col: 2, row: 4, en: ['Kampot'], km: ['កំពត'] },
  { code: 'KH-21', col: 3, row: 4, en: ['Takeo'], km: ['តាកែវ'] },
  { code: 'KH-23', col: 2, row: 5, en: ['Kep'], km: ['កែប'] },
];

/** A sequential palette (light to dark), and the colour of "none". */
export const SCALE_COLOURS = ['#d6e9f2', '#9ccbe0', '#5aa5c8', '#2a7aa6', '#0b4f6c'] as const;
export const ZERO_COLOUR = '#eef0f3';

export interface ColourClass {
  /** Inclusive bounds. */
  min: number;
  max: number;
  colour: string;
}

/**
 * Up to five classes of whole numbers from 1 to the maximum (0 has its own colour), cut at the quantiles of the
 * non-zero values: a few large provinces (Phnom Penh) do not wash every other province into one colour.
 */
export function colourClasses(values: readonly number[]): ColourClass[] {
  const xs = values.filter((v) => v > 0).sort((a, b) => a - b);
  if (xs.length === 0) return [];
  const k = Math.min(SCALE_COLOURS.length, new Set(xs).size);
  const upper: number[] = [];
  for (let i = 1; i <= k; i++) {
    const q = xs[Math.min(xs.length - 1, Math.ceil((i * xs.length) / k) - 1)];
    if (!upper.length || q > upper[upper.length - 1]) upper.push(q);
  }
  upper[upper.length - 1] = xs[xs.length - 1];
  const out = upper.map((max, i) => ({ min: i === 0 ? 1 : upper[i - 1] + 1, max, colour: '' }));
  // Spread the palette over however many classes there are (darkest = the highest).
  const last = SCALE_COLOURS.length - 1;
  return out.map((c, i) => ({ ...c, colour: SCALE_COLOURS[out.length === 1 ? last : Math.round((i * last) / (out.length - 1))] }));
}

export function colourOf(v: number, classes: readonly ColourClass[]): string {
  if (v <= 0) return ZERO_COLOUR;
  return (classes.find((c) => v >= c.min && v <= c.max) ?? classes[classes.length - 1])?.colour ?? ZERO_COLOUR;
}

/** Dark tiles get white text. */
export function isDark(colour: string): boolean {
  const i = SCALE_COLOURS.indexOf(colour as (typeof SCALE_COLOURS)[number]);
  return i >= 3;
}
