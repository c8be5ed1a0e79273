import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import i18n from '../i18n';
import { SignIn } from './SignIn';

function jsonResponse(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('SignIn', () => {
  it('shows a field error from the API next to the field', async () => {
    await i18n.changeLanguage('en');
    const fetchMock = vi.fn(async () =>
      jsonResponse(400, {
        error: { code: 'invalid_input', message: 'password: must be at most 200 characters', fields: [{ path: 'password', message: 'must be at most 200 characters' }] },
      }),
    );
    vi.stubGlobal('fetch', fetchMock);
    const onSignedIn = vi.fn();
    render(<SignIn onSignedIn={onSignedIn} />);

    fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'demo-clerk' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'x' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));

    const error = await screen.findByText('Must be at most 200 characters.');
    const password = screen.getByLabelText('Password');
    expect(password.getAttribute('aria-invalid')).toBe('true');
    expect(password.getAttribute('aria-describedby')).toContain(error.id);
    expect(onSignedIn).not.toHaveBeenCalled();
    expect(fetchMock).toHaveBeenCalledWith('/api/auth/login', expect.objectContaining({ method: 'POST', credentials: 'same-origin' }));
  });

  it('explains a locked account, in Khmer too', async () => {
    await i18n.changeLanguage('km');
    vi.stubGlobal('fetch', async () => jsonResponse(423, { error: { code: 'locked', message: 'too many failed sign-ins', fields: [] } }));
    render(<SignIn onSignedIn={() => {}} />);
    fireEvent.change(screen.getByLabelText('ឈ្មោះអ្នកប្រើ'), { target: { value: 'demo-clerk' } });
    fireEvent.change(screen.getByLabelText('ពាក្យសម្ងាត់'), { target: { value: 'wrong' } });
    fireEvent.click(screen.getByRole('button', { name: 'ចូល' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/ចាក់សោ/);
    await i18n.changeLanguage('en');
  });

  it('validates before sending: empty fields never reach the API', async () => {
    const fetchMock = vi.fn();
    vi.stubGlobal('fetch', fetchMock);
    render(<SignIn onSignedIn={() => {}} />);
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findAllByText('This field is required.')).toHaveLength(2);
    expect(fetchMock).not.toHaveBeenCalled();
  });
});
