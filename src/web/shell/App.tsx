/** Session life-cycle: probe /api/auth/me, sign in, apply the account's language, sign out, 401 → sign in. */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, setUnauthorizedHandler } from '../api/client';
import type { Me } from '../api/types';
import { rememberLocale } from '../i18n';
import { SignIn } from '../auth/SignIn';
import { Shell } from './Shell';
import { SessionContext, type SessionValue } from './session';

type State =
  | { status: 'loading' }
  | { status: 'signedOut'; reason: 'sessionExpired' | 'signedOut' | null }
  | { status: 'signedIn'; me: Me };

export function App() {
  const { t, i18n } = useTranslation();
  const [state, setState] = useState<State>({ status: 'loading' });
  const hasSignedIn = useRef(false);

  const signedIn = useCallback(
    (me: Me) => {
      if (me.locale && me.locale !== i18n.language) void i18n.changeLanguage(me.locale);
      rememberLocale(me.locale);
      hasSignedIn.current = true;
      setState({ status: 'signedIn', me });
    },
    [i18n],
  );

  // The session probe runs once, at start. Its answer only counts if nobody has signed in meanwhile: a probe that
  // comes back after a sign-in (for example when the language was switched during the sign-in) changes nothing.
  const signedInRef = useRef(signedIn);
  signedInRef.current = signedIn;
  useEffect(() => {
    setUnauthorizedHandler(() => setState({ status: 'signedOut', reason: 'sessionExpired' }));
    api
      .me()
      .then((me) => !hasSignedIn.current && signedInRef.current(me))
      .catch(() => !hasSignedIn.current && setState({ status: 'signedOut', reason: null }));
    return () => setUnauthorizedHandler(null);
  }, []);

  const session = useMemo<SessionValue | null>(() => {
    if (state.status !== 'signedIn') return null;
    return {
      me: state.me,
      setMe: (me) => setState({ status: 'signedIn', me }),
      signOut: async () => {
        try {
          await api.logout();
        } catch {
          /* the session is dropped on this side anyway */
        }
        setState({ status: 'signedOut', reason: 'signedOut' });
      },
    };
  }, [state]);

  if (state.status === 'loading') {
    return (
      <p className="loading" role="status">
        {t('app.loading')}
      </p>
    );
  }
  if (state.status === 'signedOut' || !session) {
    return <SignIn onSignedIn={signedIn} reason={state.status === 'signedOut' ? state.reason : null} />;
  }
  return (
    <SessionContext.Provider value={session}>
      <Shell />
    </SessionContext.Provider>
  );
}
