/** The centres run by the signed-in account's organisation (centre staff, programme managers). */
import { useMemo } from 'react';
import { useSession } from '../shell/session';
import { useSearch } from '../enforcement/report/urlState';
import { useLoad } from '../ui/useAsync';
import { treatmentApi } from './api';

/** The own organisation's centres, and the chosen one (from ?centre=, else the first open one). */
export function useOwnCentres() {
  const { me } = useSession();
  const search = useSearch();
  const centres = useLoad(() => treatmentApi.centres());
  const own = useMemo(() => (centres.data ?? []).filter((c) => c.organisationId === me.organisation.id), [centres.data, me.organisation.id]);
  const wanted = new URLSearchParams(search).get('centre');
  const chosen = own.find((c) => c.id === wanted) ?? own.find((c) => c.status === 'open') ?? own[0] ?? null;
  return { centres, own, chosen };
}

