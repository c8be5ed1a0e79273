import { describe, expect, it } from 'vitest';
import { districtCodePrefix, PROVINCE_CODES, PROVINCES, provinceByCode } from '../../src/core/geography.js';

const KHMER = /[\u1780-\u17FF]/;

describe('built-in provinces', () => {
  it('are the 25 ISO 3166-2:KH codes KH-1..KH-25, each once, numbered like their code', () => {
    expect(PROVINCES).toHaveLength(25);
    expect([...PROVINCE_CODES].sort()).toEqual(Array.from({ length: 25 }, (_, i) => `KH-${i + 1}`).sort());
    expect(new Set(PROVINCES.map((p) => p.code)).size).toBe(25);
    expect(new Set(PROVINCES.map((p) => p.number)).size).toBe(25);
    for (const p of PROVINCES) expect(p.code).toBe(`KH-${p.number}`);
  });

  it('have English names and Khmer names in Khmer script, all distinct', () => {
    for (const p of PROVINCES) {
      expect(p.nameEn.trim().length).toBeGreaterThan(1);
      expect(p.nameKm).toMatch(KHMER);
      expect(p.nameKm).not.toMatch(/[A-Za-z]/);
    }
    expect(new Set(PROVINCES.map((p) => p.nameEn)).size).toBe(25);
    expect(new Set(PROVINCES.map((p) => p.nameKm)).size).toBe(25);
  });

  it('has exactly one capital: Phnom Penh, KH-12', () => {
    const capitals = PROVINCES.filter((p) => p.capital);
    expect(capitals).toHaveLength(1);
    expect(capitals[0]).toMatchObject({ code: 'KH-12', nameEn: 'Phnom Penh', nameKm: 'ភ្នំពេញ' });
  });

  it('looks provinces up by code and gives the 2-digit district prefix', () => {
    expect(provinceByCode('KH-12')?.nameEn).toBe('Phnom Penh');
    expect(provinceByCode('KH-26')).toBeUndefined();
    expect(provinceByCode('kh-12')).toBeUndefined();
    expect(districtCodePrefix('KH-1')).toBe('01');
    expect(districtCodePrefix('KH-25')).toBe('25');
    expect(districtCodePrefix('KH-0')).toBeUndefined();
  });
});
