import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import i18n from '../i18n';
import { ApiError } from '../api/client';
import { todayInCambodia } from '../../core/dates';
import { admissionInput, type AdmissionDto, type CentreDto } from '../../core/treatment';
import { AdmitForm } from './AdmitPage';
import { treatmentApi } from './api';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const CENTRE: CentreDto = {
  id: '11111111-1111-4111-8111-111111111111',
  name: 'Community treatment centre (test)',
  nameKm: 'មណ្ឌលព្យាបាលសហគមន៍',
  organisationId: '22222222-2222-4222-8222-222222222222',
  organisationName: 'Test organisation',
  kind: 'community',
  modality: 'community',
  admissionPolicy: 'voluntary',
  capacity: 30,
  provinceCode: 'KH-2',
  districtCode: null,
  status: 'open',
  version: 1,
};
const MOTHER = 'សុខា';
const FATHER = 'Dara';

function fillForm() {
  fireEvent.change(screen.getByLabelText("Mother's first name"), { target: { value: MOTHER } });
  fireEvent.change(screen.getByLabelText("Father's first name"), { target: { value: FATHER } });
  fireEvent.click(screen.getByLabelText('Male'));
  fireEvent.change(screen.getByLabelText('Year'), { target: { value: '១៩៩០' } });
  fireEvent.change(screen.getByLabelText('Month'), { target: { value: '3' } });
  fireEvent.change(screen.getByLabelText('Day'), { target: { value: '12' } });
  fireEvent.change(screen.getByLabelText('Age band'), { target: { value: '25_34' } });
  fireEvent.click(screen.getByLabelText('Outreach or NGO'));
  fireEvent.click(screen.getByLabelText('Voluntary'));
  fireEvent.change(screen.getByLabelText('Primary drug'), { target: { value: 'crystal_meth' } });
  fireEvent.click(screen.getByLabelText('Methamphetamine tablets'));
  fireEvent.change(screen.getByLabelText('Usual route'), { target: { value: 'smoke' } });
  fireEvent.change(screen.getByLabelText('Injecting'), { target: { value: 'never' } });
  fireEvent.click(screen.getByLabelText('Never treated'));
}

const save = async () => {
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Admit the client' }));
  });
};

describe('admit a client', () => {
  it('checks the form with admissionInput, sends the UIC and never a name, and shows the overlap at the admission date', async () => {
    await i18n.changeLanguage('en');
    vi.spyOn(window, 'scrollTo').mockImplementation(() => {});
    window.history.pushState(null, '', `/treatment/admit?centre=${CENTRE.id}`);
    const today = todayInCambodia();
    const admit = vi
      .spyOn(treatmentApi, 'admit')
      .mockRejectedValueOnce(
        new ApiError(409, 'overlap', 'admittedOn: overlaps …', [{ path: 'admittedOn', message: 'overlaps a stay of this client in this centre (admitted 2026-01-05)' }]),
      )
      .mockImplementation(async (body) => ({ ...(body as AdmissionDto), id: '33333333-3333-4333-8333-333333333333', daysInCare: 0, version: 1, dischargedOn: null, dischargeReason: null }));
    render(<AdmitForm centres={[CENTRE]} format="M2F2SYYMMDD" />);
    fillForm();
    expect(screen.getByTestId('uic-value').textContent).toBe('SKDRM900312');

    // Voluntary without consent: refused at the field before anything is sent.
    await save();
    const consent = screen.getByLabelText("The client's consent is recorded");
    expect(within(consent.closest('.field') as HTMLElement).getByRole('alert').textContent).toBe("A voluntary admission needs the client's consent recorded.");
    expect(admit).not.toHaveBeenCalled();

    fireEvent.click(consent);
    await save();
    expect(admit).toHaveBeenCalledTimes(1);
    const body = admit.mock.calls[0][0] as Record<string, unknown>;
    expect(body).toEqual({
      centreId: CENTRE.id,
      uic: 'SKDRM900312',
      admittedOn: today,
      referralSource: 'outreach_ngo',
      legalBasis: 'voluntary',
      consentRecorded: true,
      primaryDrug: 'crystal_meth',
      secondaryDrugs: ['meth_tablets'],
      route: 'smoke',
      injecting: 'never',
      previousTreatment: 'never',
      sex: 'male',
      ageBand: '25_34',
    });
    // The server's own strict schema accepts exactly this body; no name part is in it.
    expect(admissionInput(today).safeParse(body).success).toBe(true);
    for (const s of [MOTHER, FATHER, FATHER.toUpperCase(), 'សុ']) expect(JSON.stringify(body)).not.toContain(s);

    // The server's 409 is shown at the admission date, with the date of the stay it overlaps.
    const date = screen.getByLabelText('Admission date');
    await waitFor(() => expect(date.getAttribute('aria-invalid')).toBe('true'));
    expect(within(date.closest('.field') as HTMLElement).getByRole('alert').textContent).toMatch(/already has a stay in this centre .*5 Jan 2026/);

    await save();
    await waitFor(() => expect(window.location.pathname + window.location.search).toBe(`/treatment?centre=${CENTRE.id}`));
  });

  it('refuses an injecting route with "never injected" and a primary drug repeated is dropped from the others', async () => {
    await i18n.changeLanguage('en');
    const admit = vi.spyOn(treatmentApi, 'admit');
    render(<AdmitForm centres={[CENTRE]} format="M2F2SYYMMDD" />);
    fillForm();
    fireEvent.change(screen.getByLabelText('Usual route'), { target: { value: 'inject' } });
    // choosing the secondary drug as primary removes it from the other drugs
    fireEvent.change(screen.getByLabelText('Primary drug'), { target: { value: 'meth_tablets' } });
    expect(screen.queryByLabelText('Methamphetamine tablets')).toBeNull();
    fireEvent.click(screen.getByLabelText("The client's consent is recorded"));
    await save();
    const injecting = screen.getByLabelText('Injecting');
    expect(within(injecting.closest('.field') as HTMLElement).getByRole('alert').textContent).toBe('Cannot be “never injected” when the usual route is injecting.');
    expect(admit).not.toHaveBeenCalled();
  });
});
