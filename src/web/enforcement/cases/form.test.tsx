import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import i18n from '../../i18n';
import { CaseForm } from './CaseForm';
import { copyPerson, defaultUnit, newDraft, toBody, validate } from './form';
import { ndjsonLines } from './api';

const TODAY = '2025-06-26';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('case form logic', () => {
  it('parses a quantity typed in Khmer digits, and asset counts in Latin digits', () => {
    const d = newDraft(TODAY, { provinceCode: 'KH-12', districtCode: null, communeCode: null });
    d.unitReference = '2025/7';
    d.caseType = 'trafficking';
    d.persons = [{ role: 'suspected_trafficker', sex: 'male', ageBand: '25_34', nationality: 'KH', disposition: 'pending' }];
    d.seizures = [{ drug: 'meth_tablets', quantity: '១២០០', unit: 'tablets' }];
    d.assets.motorcycles = '2';
    expect(toBody(d).seizures).toEqual([{ drug: 'meth_tablets', quantity: 1200, unit: 'tablets' }]);
    const v = validate(d, TODAY);
    expect(v.ok).toBe(true);
    if (v.ok) expect(v.body.assets.motorcycles).toBe(2);
  });

  it('keys errors by full path, and a quantity that is not a number is refused', () => {
    const d = newDraft(TODAY, null);
    d.seizures = [{ drug: 'heroin', quantity: '12abc', unit: 'g' }];
    const v = validate(d, TODAY);
    expect(v.ok).toBe(false);
    if (!v.ok) {
      expect(Object.keys(v.errors)).toEqual(expect.arrayContaining(['unitReference', 'caseType', 'persons.0.sex', 'persons.0.ageBand', 'seizures.0.quantity']));
    }
  });

  it('copies a person without the id, and picks a unit per drug', () => {
    expect(copyPerson({ id: '8d7f1f9e-4c1a-4b0e-9a57-0d3c1a2b3c4d', role: 'alleged_user', sex: 'female', ageBand: '18_24', nationality: 'VN', disposition: 'educated_released' })).toEqual({
      role: 'alleged_user',
      sex: 'female',
      ageBand: '18_24',
      nationality: 'VN',
      disposition: 'educated_released',
    });
    expect([defaultUnit('meth_tablets'), defaultUnit('cannabis_plants'), defaultUnit('crystal_meth')]).toEqual(['tablets', 'plants', 'g']);
  });
});

describe('CaseForm', () => {
  it('"Add another like this one" copies the previous person, and a Khmer-digit quantity is sent as a number', async () => {
    await i18n.changeLanguage('en');
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ items: [] }), { status: 200 })));
    const onSubmit = vi.fn(async () => undefined);
    render(<CaseForm mode="new" initial={newDraft(TODAY, { provinceCode: 'KH-12', districtCode: null, communeCode: null })} onSubmit={onSubmit} />);

    fireEvent.change(screen.getByLabelText('Unit reference'), { target: { value: 'PP-2025-001' } });
    fireEvent.click(screen.getByRole('radio', { name: 'Use' }));
    expect((screen.getByLabelText('Person 1 role') as HTMLSelectElement).value).toBe('alleged_user');
    fireEvent.change(screen.getByLabelText('Person 1 sex'), { target: { value: 'female' } });
    fireEvent.change(screen.getByLabelText('Person 1 age'), { target: { value: '18_24' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add another like this one' }));
    expect((screen.getByLabelText('Person 2 sex') as HTMLSelectElement).value).toBe('female');
    expect((screen.getByLabelText('Person 2 age') as HTMLSelectElement).value).toBe('18_24');
    expect((screen.getByLabelText('Person 2 nationality') as HTMLSelectElement).value).toBe('KH');

    fireEvent.change(screen.getByLabelText('Seizure 1 drug'), { target: { value: 'meth_tablets' } });
    expect((screen.getByLabelText('Seizure 1 unit') as HTMLSelectElement).value).toBe('tablets');
    fireEvent.change(screen.getByLabelText('Seizure 1 quantity'), { target: { value: '៣៥' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save case' }));

    await vi.waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    const body = (onSubmit.mock.calls[0] as unknown[])[0] as { persons: unknown[]; seizures: unknown[] };
    expect(body.persons).toHaveLength(2);
    expect(body.seizures).toEqual([{ drug: 'meth_tablets', quantity: 35, unit: 'tablets' }]);
  });
});

describe('import progress', () => {
  it('reads only the complete NDJSON lines of a growing response', () => {
    const first = ndjsonLines('{"done":0,"total":3}\n{"done":1,"tot', 0);
    expect(first.lines).toEqual([{ done: 0, total: 3 }]);
    const second = ndjsonLines('{"done":0,"total":3}\n{"done":1,"total":3}\n{"result":{"created":3}}\n', first.next);
    expect(second.lines).toEqual([{ done: 1, total: 3 }, { result: { created: 3 } }]);
  });
});
