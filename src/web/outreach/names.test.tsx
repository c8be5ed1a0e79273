import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import i18n from '../i18n';
import { clientData, contactData } from '../../core/harm-reduction';
import { computeUic } from '../../core/uic';
import { uuid } from '../offline/crypto';
import type { ClientRecord } from '../offline/types';
import { NewClientForm } from './NewClientPage';
import { buildContact, newContactDraft, parseCount, pushRecord, validateContact } from './records';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const MOTHER = 'សុខា';
const FATHER = 'Dara';

describe('new client: the name parts never leave the form', () => {
  it('computes the UIC live from Khmer and Latin names; the saved and outbox records hold no name part; the fields are cleared', async () => {
    await i18n.changeLanguage('en');
    const logged: string[] = [];
    for (const m of ['log', 'info', 'warn', 'error', 'debug'] as const) vi.spyOn(console, m).mockImplementation((...a: unknown[]) => void logged.push(a.map(String).join(' ')));
    const saved: ClientRecord[] = [];
    render(<NewClientForm format="M2F2SYYMMDD" sameUic={async () => []} onSave={async (c) => void saved.push(c)} />);

    const mother = screen.getByLabelText("Mother's first name") as HTMLInputElement;
    const father = screen.getByLabelText("Father's first name") as HTMLInputElement;
    fireEvent.change(mother, { target: { value: MOTHER } });
    fireEvent.change(father, { target: { value: FATHER } });
    fireEvent.click(screen.getByLabelText('Male'));
    fireEvent.change(screen.getByLabelText('Year'), { target: { value: '១៩៩៥' } });
    fireEvent.change(screen.getByLabelText('Month'), { target: { value: '3' } });
    fireEvent.change(screen.getByLabelText('Day'), { target: { value: '12' } });
    const expected = computeUic({ motherName: MOTHER, fatherName: FATHER, sex: 'male', birthDate: '1995-03-12' });
    expect(expected).toBe('SKDRM950312');
    expect(screen.getByTestId('uic-value').textContent).toBe(expected);
    // The name inputs are not form fields the browser would remember.
    expect(mother.getAttribute('name')).toBeNull();
    expect(mother.getAttribute('autocomplete')).toBe('off');

    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Save client' }));
    });
    await waitFor(() => expect(saved).toHaveLength(1));
    const record = saved[0];
    expect(record.uic).toBe(expected);
    expect(record.birthYear).toBe(1995);
    expect(Object.keys(record).sort()).toEqual(['birthYear', 'drugs', 'firstContactOn', 'id', 'route', 'sex', 'status', 'uic']);
    // The server's own strict schema accepts it (no unknown field).
    expect(clientData({ thisYear: new Date().getFullYear() }).safeParse(record).success).toBe(true);

    const outbox = JSON.stringify(pushRecord('client', record));
    for (const s of [MOTHER, FATHER, FATHER.toUpperCase(), 'សុ', 'Da']) expect(outbox).not.toContain(s);
    for (const line of logged) for (const s of [MOTHER, FATHER]) expect(line).not.toContain(s);
    for (const store of [window.localStorage, window.sessionStorage]) {
      for (let i = 0; i < store.length; i++) {
        const v = store.getItem(store.key(i)!) ?? '';
        expect(v).not.toContain(MOTHER);
        expect(v).not.toContain(FATHER);
      }
    }
    expect(window.location.href).not.toContain(FATHER);

    // Cleared as soon as the client is saved.
    expect((screen.getByLabelText("Mother's first name") as HTMLInputElement).value).toBe('');
    expect((screen.getByLabelText("Father's first name") as HTMLInputElement).value).toBe('');
    expect(document.body.textContent).not.toContain(MOTHER);
  });

  it('does not save without a sex, and says so', async () => {
    await i18n.changeLanguage('en');
    const onSave = vi.fn(async () => undefined);
    render(<NewClientForm format="M2F2SYYMMDD" sameUic={async () => []} onSave={onSave} />);
    fireEvent.change(screen.getByLabelText("Mother's first name"), { target: { value: 'Sokha' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Save client' }));
    });
    expect(onSave).not.toHaveBeenCalled();
    expect(screen.getByText('Choose the sex.')).toBeTruthy();
  });

  it('flags a client with the same UIC on this device', async () => {
    await i18n.changeLanguage('en');
    const same = { id: uuid(), uic: computeUic({ motherName: 'Sokha', fatherName: 'ដារា' }), sex: 'male' as const, birthYear: null, firstContactOn: '2026-01-01', drugs: [], route: 'unknown' as const, status: 'active' as const };
    render(<NewClientForm format="M2F2SYYMMDD" sameUic={async (u) => (u === same.uic ? [same] : [])} onSave={async () => undefined} />);
    fireEvent.change(screen.getByLabelText("Mother's first name"), { target: { value: 'Sokha' } });
    fireEvent.change(screen.getByLabelText("Father's first name"), { target: { value: 'ដារា' } });
    expect(await screen.findByTestId('same-uic')).toBeTruthy();
  });
});

describe('contact record', () => {
  it('counts typed in Khmer or Latin digits; a typical needle exchange gives a record the server schema accepts', () => {
    expect(parseCount('១០')).toBe(10);
    expect(parseCount('')).toBe(0);
    expect(parseCount('1x')).toBeNull();
    const d = newContactDraft({ clientId: uuid(), setting: 'hotspot', hotspotId: uuid(), now: new Date('2026-11-29T03:00:00Z') });
    d.needles['27G'] = '១០';
    d.syringes['1ml'] = '10';
    d.returned = '8';
    d.referrals = [{ id: uuid(), target: 'ost' }];
    expect(validateContact(d, new Date('2026-11-29T03:01:00Z'))).toEqual({});
    const c = buildContact(d, uuid());
    expect(c.needles).toEqual({ '27G': 10 });
    expect(c.syringes).toEqual({ '1ml': 10 });
    expect(c.at).toBe('2026-11-29T03:00:00.000Z');
    expect(c.referrals[0]).toMatchObject({ target: 'ost', outcome: 'pending', outcomeOn: null });
    expect(contactData.safeParse(c).success).toBe(true);
  });

  it('requires the hotspot for the hotspot setting and refuses a bad count', () => {
    const d = newContactDraft({ clientId: null, setting: 'hotspot' });
    d.condoms = 'abc';
    expect(validateContact(d)).toMatchObject({ hotspotId: 'outreach.errors.hotspotRequired', condoms: 'outreach.errors.count' });
    const m = newContactDraft({ clientId: null, setting: 'mobile', hotspotId: uuid() });
    expect(buildContact(m, uuid()).hotspotId).toBeNull();
  });
});
