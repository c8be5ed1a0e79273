import { describe, expect, it } from 'vitest';
import { cellKey, draftTotal, educationMessage, newDraft, toBody, validate } from './form';

const TODAY = '2026-03-10';
const filled = () => {
  const d = newDraft(TODAY, 'KH-17');
  d.setting = 'school';
  d.topic = 'drug_risks';
  d.cells[cellKey('female', '15_17')] = '១២'; // Khmer digits: 12
  d.cells[cellKey('male', '15_17')] = ' 9 ';
  return d;
};

describe('the session form', () => {
  it('reads Khmer and Latin digits, leaves empty boxes out and keeps the live total', () => {
    const d = filled();
    expect(toBody(d)).toEqual({ heldOn: TODAY, provinceCode: 'KH-17', districtCode: null, setting: 'school', topic: 'drug_risks', participants: { male: { '15_17': 9 }, female: { '15_17': 12 } } });
    expect(draftTotal(d)).toBe(21);
    expect(draftTotal(d, 'female')).toBe(12);
    d.cells[cellKey('unknown', 'unknown')] = 'abc';
    expect(draftTotal(d)).toBe(21);
  });

  it('validates with the server schema, errors keyed by the full path', () => {
    expect(validate(filled(), TODAY)).toMatchObject({ ok: true, body: { participants: { female: { '15_17': 12 } } } });
    const d = filled();
    d.cells[cellKey('female', '15_17')] = '';
    d.cells[cellKey('male', '15_17')] = '';
    d.heldOn = '2026-03-11';
    d.topic = '';
    const r = validate(d, TODAY);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.keys(r.errors).sort()).toEqual(['heldOn', 'participants', 'topic']);
    expect(r.errors.participants).toEqual({ key: 'education.errors.noParticipants' });
    expect(r.errors.heldOn).toEqual({ key: 'education.errors.future' });
    expect(r.errors.topic).toEqual({ key: 'validation.required' });
  });

  it('refuses a negative, a fraction and text at the box', () => {
    const d = filled();
    d.cells[cellKey('male', '18_24')] = '-3';
    d.cells[cellKey('male', '25_34')] = '1.5';
    d.cells[cellKey('female', '25_34')] = 'x';
    const r = validate(d, TODAY);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors['participants.male.18_24']).toEqual({ key: 'education.errors.notNegative' });
    expect(r.errors['participants.male.25_34']).toEqual({ key: 'education.errors.wholeNumber' });
    expect(r.errors['participants.female.25_34']).toEqual({ key: 'education.errors.number' });
  });

  it('maps the API messages to catalogue keys', () => {
    expect(educationMessage('must not be before from')).toEqual({ key: 'education.errors.toBeforeFrom' });
    expect(educationMessage('is not in the province')).toEqual({ key: 'validation.districtNotInProvince' });
    expect(educationMessage('something new')).toEqual({ raw: 'something new' });
  });
});
