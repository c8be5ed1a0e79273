import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { useLoad } from './useAsync';

afterEach(() => cleanup());

/** A load per question, each resolved by the test when it chooses. */
function deferred() {
  const pending = new Map<string, (v: string) => void>();
  const load = (q: string) => new Promise<string>((resolve) => pending.set(q, resolve));
  return { pending, load };
}

describe('useLoad', () => {
  it('shows the answer to the latest question, even when an earlier answer arrives last', async () => {
    const d = deferred();
    let ask: (q: string) => void = () => undefined;
    function Page() {
      const [q, setQ] = useState('week');
      ask = setQ;
      const data = useLoad(() => d.load(q), [q]);
      return <p data-testid="shown">{`${data.data ?? 'none'}${data.loading ? ' (loading)' : ''}`}</p>;
    }
    render(<Page />);
    await act(async () => ask('quarter'));
    expect([...d.pending.keys()]).toEqual(['week', 'quarter']);
    // the quarter answers first, then the week's (slower) answer arrives
    await act(async () => d.pending.get('quarter')!('quarter figures'));
    await act(async () => d.pending.get('week')!('week figures'));
    expect(screen.getByTestId('shown').textContent).toBe('quarter figures');
  });
});
