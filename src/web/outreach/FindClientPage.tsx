/**
 * Find client: type a UIC, or compute it from the name parts (the names stay in the helper), and find the client
 * in the store on this device (exact match, and UICs one character apart).
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { uicDistance } from '../../core/uic';
import { useVault } from '../offline/hooks';
import type { ClientSex } from '../offline/types';
import { vault, type LocalClient } from '../offline/vault';
import { Link } from '../shell/router';
import { TextField } from '../ui/Field';
import { OutreachPage } from './Layout';
import type { BirthParts } from './records';
import { ClientList } from './RecordContactPage';
import { UicHelper } from './UicHelper';

export function FindClientPage() {
  const { t } = useTranslation();
  return (
    <OutreachPage title={t('outreach.find.title')}>
      <FindBody />
    </OutreachPage>
  );
}

function FindBody() {
  const { t } = useTranslation();
  const v = useVault();
  const [mode, setMode] = useState<'uic' | 'names'>('uic');
  const [typed, setTyped] = useState('');
  const [computed, setComputed] = useState('');
  const [sex, setSex] = useState<ClientSex | ''>('');
  const [birth, setBirth] = useState<BirthParts>({ year: '', month: '', day: '' });
  const [found, setFound] = useState<{ exact: LocalClient[]; near: LocalClient[] } | null>(null);
  const uic = (mode === 'uic' ? typed : computed).trim().toUpperCase();

  useEffect(() => {
    if (uic.length < 3) {
      setFound(null);
      return;
    }
    let alive = true;
    void vault.clients().then((all) => {
      if (!alive) return;
      setFound({
        exact: all.filter((c) => c.uic === uic),
        near: all.filter((c) => c.uic !== uic && (uicDistance(c.uic, uic) === 1 || c.uic.startsWith(uic))).slice(0, 20),
      });
    });
    return () => {
      alive = false;
    };
  }, [uic, v.version]);

  return (
    <div className="ow-find">
      <div className="ow-seg" role="group" aria-label={t('outreach.find.how')}>
        <button type="button" className={`button button--small${mode === 'uic' ? ' button--primary' : ''}`} aria-pressed={mode === 'uic'} onClick={() => setMode('uic')}>
          {t('outreach.find.byUic')}
        </button>
        <button type="button" className={`button button--small${mode === 'names' ? ' button--primary' : ''}`} aria-pressed={mode === 'names'} onClick={() => setMode('names')}>
          {t('outreach.find.fromNames')}
        </button>
      </div>
      {mode === 'uic' ? (
        <TextField
          label={t('outreach.find.uic')}
          value={typed}
          onChange={(e) => setTyped(e.target.value.toUpperCase())}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          hint={t('outreach.find.uicHint')}
          data-testid="uic-search"
        />
      ) : (
        <UicHelper format={v.uicFormat} sex={sex} birth={birth} onSex={setSex} onBirth={setBirth} onUic={setComputed} />
      )}
      {found && (
        <div aria-live="polite">
          <ClientList clients={found.exact} />
          {found.near.length > 0 && (
            <>
              <h2 className="ow-sub">{t('outreach.find.similar')}</h2>
              <ClientList clients={found.near} />
            </>
          )}
          {found.exact.length === 0 && (
            <p>
              {t('outreach.find.none')} <Link href="/outreach/clients/new">{t('outreach.find.newInstead')}</Link>
            </p>
          )}
        </div>
      )}
      <p>
        <Link href="/outreach/contact?anonymous=1">{t('outreach.contact.anonymous')}</Link>
      </p>
    </div>
  );
}
