/** A one-off message carried to the next treatment page ("… admitted."), read once within a few seconds. */
import { useEffect, useState } from 'react';

let flash: { key: string; opts: Record<string, string>; at: number } | null = null;

export function setTreatmentFlash(key: string, opts: Record<string, string> = {}) {
  flash = { key, opts, at: Date.now() };
}

export function useTreatmentFlash(): { key: string; opts: Record<string, string> } | null {
  const [f] = useState(() => (flash && Date.now() - flash.at < 10_000 ? { key: flash.key, opts: flash.opts } : null));
  useEffect(() => {
    flash = null;
  }, []);
  return f;
}
