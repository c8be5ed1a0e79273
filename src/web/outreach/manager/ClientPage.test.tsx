import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import i18n from '../../i18n';
import { ApiError } from '../../api/client';
import { ClientPage } from './ClientPage';
import { managerApi, type ClientDetail } from './api';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const ID = '11111111-1111-4111-8111-111111111111';

function detail(over: Partial<ClientDetail> = {}): ClientDetail {
  return {
    id: ID,
    uic: 'SKDRM950312',
    sex: 'male',
    birthYear: 1995,
    firstContactOn: '2026-01-05',
    drugs: ['crystal_meth'],
    route: 'smoke',
    status: 'lost_to_follow_up',
    lastContactOn: '2026-02-01',
    mergedInto: null,
    contacts: [
      { id: 'c2', at: '2026-02-01T03:00:00.000Z', setting: 'hotspot', referrals: [{ id: 'r2', target: 'art', outcome: 'pending', outcomeOn: null }] },
      { id: 'c1', at: '2026-01-05T03:00:00.000Z', setting: 'drop_in', referrals: [{ id: 'r1', target: 'legal_aid', outcome: 'completed', outcomeOn: '2026-01-10' }] },
    ],
    ...over,
  };
}

describe('programme manager: one client', () => {
  it('shows the client, saves the status and a referral outcome, and shows field errors', async () => {
    await i18n.changeLanguage('en');
    window.history.pushState(null, '', `/outreach/clients/${ID}`);
    const load = vi.spyOn(managerApi, 'client').mockResolvedValue(detail());
    const setStatus = vi.spyOn(managerApi, 'setStatus').mockResolvedValue({ ...detail({ status: 'moved' }), contacts: 2 });
    const setOutcome = vi
      .spyOn(managerApi, 'setReferralOutcome')
      .mockRejectedValueOnce(new ApiError(400, 'invalid_input', 'invalid', [{ path: 'outcomeOn', message: 'must be a date YYYY-MM-DD' }]))
      .mockResolvedValue({ id: 'r2', target: 'art', outcome: 'completed', outcomeOn: '2026-02-03' });
    render(<ClientPage />);

    await screen.findByRole('heading', { level: 1, name: 'Client SKDRM950312' });
    expect(screen.getByText('Lost to follow-up')).toBeTruthy();
    expect(screen.getByText('Legal aid')).toBeTruthy();

    const status = screen.getByLabelText('Status') as HTMLSelectElement;
    expect(status.value).toBe('active');
    fireEvent.change(status, { target: { value: 'moved' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Save status' }));
    });
    await waitFor(() => expect(setStatus).toHaveBeenCalledWith(ID, 'moved'));
    await waitFor(() => expect(load).toHaveBeenCalledTimes(2));

    // Referrals are numbered oldest first: referral 2 is the ART one, still pending.
    const outcome = screen.getByLabelText('Outcome of referral 2') as HTMLSelectElement;
    expect(outcome.value).toBe('pending');
    fireEvent.change(outcome, { target: { value: 'completed' } });
    fireEvent.change(screen.getByLabelText(/Outcome date of referral 2/), { target: { value: '2026-02-03' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Update referral 2' }));
    });
    expect(await screen.findByText('must be a date YYYY-MM-DD')).toBeTruthy();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Update referral 2' }));
    });
    await waitFor(() => expect(setOutcome).toHaveBeenLastCalledWith('r2', 'completed', '2026-02-03'));
    expect(await screen.findByText('Referral 2 updated.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Update referral 1' })).toBeTruthy();
  });
});
