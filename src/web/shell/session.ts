import { createContext, useContext } from 'react';
import type { Me } from '../api/types';

export interface SessionValue {
  me: Me;
  setMe: (me: Me) => void;
  signOut: () => Promise<void>;
}

export const SessionContext = createContext<SessionValue | null>(null);

export function useSession(): SessionValue {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in shell');
  return s;
}

export function useOptionalSession(): SessionValue | null {
  return useContext(SessionContext);
}
