import { describe, expect, it } from 'vitest';
import { CAMBODIA_TILES, TILE_COLS, TILE_ROWS, colourClasses, colourOf, ZERO_COLOUR } from './tileGrid';

describe('Cambodia tile grid', () => {
  it('has the 25 provinces KH-1 … KH-25, once each', () => {
    const codes = CAMBODIA_TILES.map((t) => t.code).sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)));
    expect(codes).toEqual(Array.from({ length: 25 }, (_, i) => `KH-${i + 1}`));
  });

  it('puts every province on its own square inside the grid', () => {
    const cells = new Set(CAMBODIA_TILES.map((t) => `${t.col},${t.row}`));
    expect(cells.size).toBe(25);
    for (const t of CAMBODIA_TILES) {
      expect(t.col).toBeGreaterThanOrEqual(0);
      expect(t.col).toBeLessThan(TILE_COLS);
      expect(t.row).toBeGreaterThanOrEqual(0);
      expect(t.row).toBeLessThan(TILE_ROWS);
    }
  });

  it('keeps the geography: the north-east top, the coast bottom, Phnom Penh centre', () => {
    const at = (code: string) => CAMBODIA_TILES.find((t) => t.code === code)!;
    expect(at('KH-16').row).toBe(0); // Ratanakiri
    expect(at('KH-24').col).toBe(0); // Pailin, the far west
    expect(at('KH-18').row).toBeGreaterThan(at('KH-12').row); // Preah Sihanouk south of Phnom Penh
    expect(at('KH-20').col).toBeGreaterThan(at('KH-12').col); // Svay Rieng east of Phnom Penh
  });

  it('labels every tile in English and Khmer script, at most two lines', () => {
    for (const t of CAMBODIA_TILES) {
      expect(t.en.length).toBeGreaterThan(0);
      expect(t.en.length).toBeLessThanOrEqual(2);
      expect(t.km.length).toBeLessThanOrEqual(2);
      expect(t.km.join('')).toMatch(/^[\u1780-\u17FF]+$/);
    }
  });
});

describe('colour classes', () => {
  it('is empty when nothing happened, and zero keeps its own colour', () => {
    expect(colourClasses([0, 0])).toEqual([]);
    expect(colourOf(0, colourClasses([0, 5]))).toBe(ZERO_COLOUR);
  });

  it('covers 1 … max with contiguous classes, the highest the darkest', () => {
    const classes = colourClasses([0, 3, 70, 652]);
    expect(classes[0].min).toBe(1);
    expect(classes[classes.length - 1].max).toBeGreaterThanOrEqual(652);
    for (let i = 1; i < classes.length; i++) expect(classes[i].min).toBe(classes[i - 1].max + 1);
    expect(colourOf(652, classes)).toBe(classes[classes.length - 1].colour);
    expect(colourOf(1, classes)).toBe(classes[0].colour);
  });

  it('does not make more classes than distinct values, and cuts at the quantiles', () => {
    expect(colourClasses([2, 2, 0]).map((c) => [c.min, c.max])).toEqual([[1, 2]]);
    const classes = colourClasses([10, 12, 13, 14, 15, 16, 18, 20, 22, 25, 30, 37, 164]);
    expect(classes).toHaveLength(5);
    expect(colourOf(30, classes)).not.toBe(colourOf(164, classes));
  });
});
