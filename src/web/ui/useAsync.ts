/** Load data once (and again on demand); errors kept for display. */
import { useCallback, useEffect, useRef, useState } from 'react';

export function useLoad<T>(load: () => Promise<T>, deps: unknown[] = []) {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const alive = useRef(true);
  // Only the latest load may answer: when the question changes (another period) while an earlier load is still
  // on its way, the earlier answer must not arrive last and replace the one asked for.
  const latest = useRef(0);
  const run = useCallback(async () => {
    const mine = ++latest.current;
    const current = () => alive.current && mine === latest.current;
    setLoading(true);
    try {
      const d = await load();
      if (current()) {
        setData(d);
        setError(null);
      }
    } catch (e) {
      if (current()) setError(e);
    } finally {
      if (current()) setLoading(false);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  useEffect(() => {
    alive.current = true;
    void run();
    return () => {
      alive.current = false;
    };
  }, [run]);
  return { data, setData, error, loading, reload: run };
}
