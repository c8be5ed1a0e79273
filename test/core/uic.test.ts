import { describe, expect, it } from 'vitest';
import { computeUic, DEFAULT_UIC_FORMAT, isValidUicFormat, nameCode, nameSkeleton, parseUicFormat, uicDistance, uicLength, uicPattern } from '../../src/core/uic.js';

describe('name normalisation: Latin and Khmer spellings of the same name give the same letters', () => {
  // [Latin, Khmer, the first two letter codes the documented rules give]
  const SAME: [string, string, string][] = [
    ['Sokha', 'សុខា', 'SK'],
    ['Dara', 'ដារា', 'DR'],
    ['Chenda', 'ចិន្តា', 'CN'],
    ['Srey', 'ស្រី', 'SR'],
    ['Bopha', 'បុប្ផា', 'BP'],
    ['Samnang', 'សំណាង', 'SM'],
    ['Ang', 'អង្គ', 'AN'],
    ['Phalla', 'ផល្លា', 'PL'],
    ['Vannak', 'វណ្ណៈ', 'VN'],
    ['Heng', 'ហេង', 'HN'],
    ['Sophal', 'សុផល', 'SP'],
    ['Kimheng', 'គីមហេង', 'KM'],
    ['Nary', 'ណារី', 'NR'],
    ['Chantha', 'ចន្ថា', 'CN'],
    ['Sreymom', 'ស្រីមុំ', 'SR'],
    ['Pisey', 'ពិសី', 'PS'],
    ['Kosal', 'កុសល', 'KS'],
    ['Vuthy', 'វុទ្ធី', 'VT'],
    
    ['Sopheap', 'សុភាព', 'SP'],
  ];
  for (const [latin, khmer, code] of SAME) {
    it(`${latin} / ${khmer} → ${code}`, () => {
      expect(nameCode(latin, 2)).toBe(code);
      expect(nameCode(khmer, 2)).toBe(nameCode(latin, 2));
    });
  }

  it('the documented examples of the module header hold', () => {
    expect(nameSkeleton('Sokha')).toBe('SK');
    expect(nameSkeleton('ចិន្តា')).toBe('CNT');
    expect(nameSkeleton('Chenda')).toBe('CND');
    expect(nameSkeleton('Phalla')).toBe('PL');
    expect(nameSkeleton('ផល្លា')).toBe('PL');
    expect(nameSkeleton('Vannak')).toBe('VNK');
    expect(nameSkeleton('វណ្ណៈ')).toBe('VN');
  });

  it('a leading vowel gives A, in both scripts; later vowels are dropped', () => {
    expect(nameSkeleton('Ang')).toBe('AN');
    expect(nameSkeleton('Eng')).toBe('AN');
    expect(nameSkeleton('Oun')).toBe('AN');
    expect(nameSkeleton('អង្គ')).toBe('ANK');
    expect(nameSkeleton('ឧត្តម')).toBe('ATM');
    expect(nameSkeleton('ឯក')).toBe('AK');
    expect(nameSkeleton('Maria')).toBe('MR');
  });

  it('Latin digraphs and letter mappings', () => {
    expect(nameSkeleton('Khim')).toBe('KM');
    expect(nameSkeleton('Chan')).toBe('CN');
    expect(nameSkeleton('Thy')).toBe('T');
    expect(nameSkeleton('Phan')).toBe('PN');
    expect(nameSkeleton('Ngin')).toBe('N');
    expect(nameSkeleton('Nhem')).toBe('NM');
    expect(nameSkeleton('Gina')).toBe('KN');
    expect(nameSkeleton('Jorani')).toBe('CRN');
    expect(nameSkeleton('Quyen')).toBe('KYN');
    expect(nameSkeleton('Fany')).toBe('PN');
    expect(nameSkeleton('Wanna')).toBe('VN');
    expect(nameSkeleton('Xiu')).toBe('S');
    expect(nameSkeleton('Zin')).toBe('SN');
    expect(nameSkeleton('Yim')).toBe('YM');
  });

  it('case, diacritics, spaces, digits and punctuation are ignored', () => {
    expect(nameSkeleton('sokha')).toBe(nameSkeleton('SOKHA'));
    expect(nameSkeleton('Sókhà')).toBe('SK');
    expect(nameSkeleton(' So-kha 2 ')).toBe('SK');
    expect(nameSkeleton('សុ ខា ១២')).toBe('SK');
    expect(nameSkeleton("D'ara.")).toBe('DR');
  });

  it('unknown or unreadable names give 9s; short skeletons are padded with 9', () => {
    expect(nameCode(null, 2)).toBe('99');
    expect(nameCode('', 2)).toBe('99');
    expect(nameCode('  ', 2)).toBe('99');
    expect(nameCode('123', 2)).toBe('99');
    expect(nameCode('Ai', 2)).toBe('A9');
    expect(nameCode('Sokha', 3)).toBe('SK9');
  });
});

describe('computeUic', () => {
  it('the default format is M2F2SYYMMDD', () => {
    expect(DEFAULT_UIC_FORMAT).toBe('M2F2SYYMMDD');
    expect(computeUic({ motherName: 'Sokha', fatherName: 'Dara', sex: 'female', birthDate: '1994-03-07' })).toBe('SKDRF940307');
  });

  it('Khmer and Latin input give the same UIC', () => {
    const a = computeUic({ motherName: 'Chenda', fatherName: 'Sophal', sex: 'male', birthDate: '2001-12-31' });
    const b = computeUic({ motherName: 'ចិន្តា', fatherName: 'សុផល', sex: 'male', birthDate: '2001-12-31' });
    expect(a).toBe('CNSPM011231');
    expect(b).toBe(a);
  });

  it('sex codes: male M, female F, other X, unknown 9', () => {
    const base = { motherName: 'Dara', fatherName: 'Dara', birthDate: '1990-01-02' };
    expect(computeUic({ ...base, sex: 'male' })[4]).toBe('M');
    expect(computeUic({ ...base, sex: 'female' })[4]).toBe('F');
    expect(computeUic({ ...base, sex: 'other' })[4]).toBe('X');
    expect(computeUic({ ...base, sex: null })[4]).toBe('9');
  });

  it('unknown parts of the date give 9s, per part', () => {
    expect(computeUic({ motherName: 'Dara', fatherName: 'Sokha', sex: 'male', birthYear: 1988 })).toBe('DRSKM889999');
    expect(computeUic({ motherName: 'Dara', fatherName: 'Sokha', sex: 'male', birthYear: 1988, birthMonth: 5 })).toBe('DRSKM880599');
    expect(computeUic({ motherName: 'Dara', fatherName: 'Sokha', sex: 'male' })).toBe('DRSKM999999');
    expect(computeUic({ motherName: 'Dara', fatherName: 'Sokha', sex: 'male', birthYear: 1988, birthMonth: 13, birthDay: 0 })).toBe('DRSKM889999');
    expect(computeUic({ motherName: null, fatherName: undefined, sex: null })).toBe('99999999999');
  });

  it('dates: two-digit year of the century, zero-padded month and day', () => {
    expect(computeUic({ motherName: 'Dara', fatherName: 'Dara', sex: 'female', birthDate: '2005-09-09' }).slice(5)).toBe('050909');
    expect(computeUic({ motherName: 'Dara', fatherName: 'Dara', sex: 'female', birthDate: '1999-10-30' }).slice(5)).toBe('991030');
  });

  it('other formats: longer name parts, four-digit years, another order', () => {
    expect(computeUic({ motherName: 'Sokha', fatherName: 'Dara', sex: 'female', birthDate: '1994-03-07' }, 'M3F3SYYYYMMDD')).toBe('SK9DR9F19940307');
    expect(computeUic({ motherName: 'Sokha', fatherName: 'Dara', sex: 'female', birthDate: '1994-03-07' }, 'SDDMMYYM1F1')).toBe('F070394SD');
    expect(uicLength('M3F3SYYYYMMDD')).toBe(15);
    expect(uicLength()).toBe(11);
  });

  it('an invalid format is refused', () => {
    expect(isValidUicFormat('M2F2SYYMMDD')).toBe(true);
    expect(isValidUicFormat('')).toBe(false);
    expect(isValidUicFormat('M2F2Q')).toBe(false);
    expect(isValidUicFormat('M0')).toBe(false);
    expect(() => parseUicFormat('ABC')).toThrow();
  });
});

describe('uicPattern', () => {
  const p = uicPattern(DEFAULT_UIC_FORMAT);
  it('accepts computed UICs, with or without unknown parts', () => {
    for (const u of ['SKDRF940307', 'A9DRM889999', '9999X999999', 'SKDR9991231', '99999999999']) expect(p.test(u), u).toBe(true);
  });
  it('refuses anything else', () => {
    for (const u of ['skdrf940307', 'SKDRF94030', 'SKDRF9403077', 'SKDRQ940307', 'SKDRF941307', 'SKDRF940332', '9KDRF940307', 'SKDRF94030A', 'GKDRF940307', 'SK DRF94030', '']) {
      expect(p.test(u), u).toBe(false);
    }
  });
  it('follows the format', () => {
    expect(uicPattern('M3F3SYYYYMMDD').test('SK9DR9F19940307')).toBe(true);
    expect(uicPattern('M3F3SYYYYMMDD').test('SKDRF940307')).toBe(false);
  });
});

describe('uicDistance', () => {
  it('counts differing characters of UICs of the same length', () => {
    expect(uicDistance('SKDRF940307', 'SKDRF940307')).toBe(0);
    expect(uicDistance('SKDRF940307', 'SKDRM940307')).toBe(1);
    expect(uicDistance('SKDRF940307', 'SKDRM940308')).toBe(2);
    expect(uicDistance('SKDRF940307', 'DRSKM070394')).toBe(9);
  });
  it('is Infinity for different lengths', () => {
    expect(uicDistance('SKDRF940307', 'SKDRF94030')).toBe(Infinity);
  });
});
