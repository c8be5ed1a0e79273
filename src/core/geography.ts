/** Cambodia's 25 first-level divisions (the capital Phnom Penh and 24 provinces), ISO 3166-2:KH. */
export interface Province {
  code: string; // ISO 3166-2:KH, e.g. "KH-12"
  number: number; // the numeric part, also the prefix of district (NNdd) and commune (NNddcc) codes
  nameEn: string;
  nameKm: string;
  capital?: boolean;
}

export const PROVINCES: readonly Province[] = [
  { code: 'KH-1', number: 1, nameEn: 'Banteay Meanchey', nameKm: 'បន្ទាយមានជ័យ' },
  { code: 'KH-2', number: 2, nameEn: 'Battambang', nameKm: 'បាត់ដំបង' },
  { code: 'KH-3', number: 3, nameEn: 'Kampong Cham', nameKm: 'កំពង់ចាម' },
  { code: 'KH-4', number: 4, nameEn: 'Kampong Chhnang', nameKm: 'កំពង់ឆ្នាំង' },
  { code: 'KH-5', number: 5, nameEn: 'Kampong Speu', nameKm: 'កំពង់ស្ពឺ' },
  { code: 'KH-6', number: 6, nameEn: 'Kampong Thom', nameKm: 'កំពង់ធំ' },
  { code: 'KH-7', number: 7, nameEn: 'Kampot', nameKm: 'កំពត' },
  { code: 'KH-8', number: 8, nameEn: 'Kandal', nameKm: 'កណ្ដាល' },
  { code: 'KH-9', number: 9, nameEn: 'Koh Kong', nameKm: 'កោះកុង' },
  { code: 'KH-10', number: 10, nameEn: 'Kratie', nameKm: 'ក្រចេះ' },
  { code: 'KH-11', number: 11, nameEn: 'Mondulkiri', nameKm: 'មណ្ឌលគិរី' },
  { code: 'KH-12', number: 12, nameEn: 'Phnom Penh', nameKm: 'ភ្នំពេញ', capital: true },
  { code: 'KH-13', number: 13, nameEn: 'Preah Vihear', nameKm: 'ព្រះវិហារ' },
  { code: 'KH-14', number: 14, nameEn: 'Prey Veng', nameKm: 'ព្រៃវែង' },
  { code: 'KH-15', number: 15, nameEn: 'Pursat', nameKm: 'ពោធិ៍សាត់' },
  { code: 'KH-16', number: 16, nameEn: 'Ratanakiri', nameKm: 'រតនគិរី' },
  { code: 'KH-17', number: 17, nameEn: 'Siem Reap', nameKm: 'សៀមរាប' },
  { code: 'KH-18', number: 18, nameEn: 'Preah Sihanouk', nameKm: 'ព្រះសីហនុ' },
  { code: 'KH-19', number: 19, nameEn: 'Stung Treng', nameKm: 'ស្ទឹងត្រែង' },
  { code: 'KH-20', number: 20, nameEn: 'Svay Rieng', nameKm: 'ស្វាយរៀង' },
  { code: 'KH-21', number: 21, nameEn: 'Takeo', nameKm: 'តាកែវ' },
  { code: 'KH-22', number: 22, nameEn: 'Oddar Meanchey', nameKm: 'ឧត្ដរមានជ័យ' },
  { code: 'KH-23', number: 23, nameEn: 'Kep', nameKm: 'កែប' },
  { code: 'KH-24', number: 24, nameEn: 'Pailin', nameKm: 'ប៉ៃលិន' },
  { code: 'KH-25', number: 25, nameEn: 'Tboung Khmum', nameKm: 'ត្បូងឃ្មុំ' },
];

export const PROVINCE_CODES = PROVINCES.map((p) => p.code) as [string, ...string[]];

export function provinceByCode(code: string): Province | undefined {
  return PROVINCES.find((p) => p.code === code);
}

/** District codes are the province number (2 digits) followed by 2 digits: "1201". Commune codes add 2 more: "120101". */
export function districtCodePrefix(provinceCode: string): string | undefined {
  const p = provinceByCode(provinceCode);
  return p ? String(p.number).padStart(2, '0') : undefined;
}
