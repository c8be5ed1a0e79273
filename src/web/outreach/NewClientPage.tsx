/**
 * New client: the UIC helper (names → UIC, live), drugs used, route, first contact date. Flags a client with the
 * same UIC on this device. Saving puts the client record (no name part) in the encrypted outbox and goes on to
 * "Record contact" for this client; the names are cleared (the helper is remounted).
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { DRUGS, type Drug } from '../../core/enforcement';
import { todayInCambodia } from '../../core/dates';
import { uuid } from '../offline/crypto';
import { useVault } from '../offline/hooks';
import { ROUTES, type ClientRecord, type DrugRoute } from '../offline/types';
import { vault, type LocalClient } from '../offline/vault';
import { Notice, SelectField, TextField } from '../ui/Field';
import { Link, navigate } from '../shell/router';
import { syncNow } from '../offline/engine';
import { OutreachPage, setFlash } from './Layout';
import { buildClient, newClientDraft, validateClient, type ClientDraft, type Errors } from './records';
import { UicHelper } from './UicHelper';
import { useFmt } from './ui';

export interface NewClientFormProps {
  format: string;
  /** Clients on this device with this UIC. */
  sameUic: (uic: string) => Promise<LocalClient[]>;
  /** Store the record; resolves when it is safely in the outbox. */
  onSave: (client: ClientRecord) => Promise<void>;
}

export function NewClientForm({ format, sameUic, onSave }: NewClientFormProps) {
  const { t } = useTranslation();
  const { num } = useFmt();
  const today = todayInCambodia();
  const [d, setD] = useState<ClientDraft>(() => newClientDraft(today));
  const [uic, setUic] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [dups, setDups] = useState<LocalClient[]>([]);
  const [helperKey, setHelperKey] = useState(0);
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let alive = true;
    void sameUic(uic).then((x) => alive && setDups(x));
    return () => {
      alive = false;
    };
  }, [uic, sameUic]);

  const set = (patch: Partial<ClientDraft>) => setD((x) => ({ ...x, ...patch }));
  const toggleDrug = (drug: Drug) => set({ drugs: d.drugs.includes(drug) ? d.drugs.filter((x) => x !== drug) : [...d.drugs, drug] });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errs = validateClient(d, uic, format, today);
    setErrors(errs);
    if (Object.keys(errs).length) return;
    setBusy(true);
    setFailed(false);
    try {
      await onSave(buildClient(d, uic, uuid()));
      // The names go with the helper's state.
      setHelperKey((k) => k + 1);
      setD(newClientDraft(today));
    } catch {
      setFailed(true);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="ow-form" onSubmit={submit} noValidate aria-label={t('outreach.client.newTitle')} autoComplete="off">
      {failed && <Notice kind="error">{t('outreach.errors.saveFailed')}</Notice>}
      <p className="hint">{t('outreach.client.namesNotKept')}</p>
      <UicHelper
        key={helperKey}
        format={format}
        sex={d.sex}
        birth={d.birth}
        onSex={(sex) => set({ sex })}
        onBirth={(birth) => set({ birth })}
        onUic={setUic}
        errors={{ sex: errors.sex && t(errors.sex), birthYear: errors.birthYear && t(errors.birthYear) }}
      />
      {errors.uic && <Notice kind="error">{t(errors.uic)}</Notice>}
      {dups.length > 0 && (
        <div className="notice notice--warn" role="status" data-testid="same-uic">
          <div className="notice-body">
            <p>
              <strong>{t('outreach.client.sameUic', { uic })}</strong>
            </p>
            {dups.map((c) => (
              <p key={c.id}>
                {t(`outreach.sexes.${c.sex}`)} · {c.birthYear ? num(c.birthYear) : t('outreach.uic.unknown')} ·{' '}
                <Link href={`/outreach/contact?client=${encodeURIComponent(c.id)}`}>{t('outreach.client.recordForThis')}</Link>
              </p>
            ))}
          </div>
        </div>
      )}
      <fieldset className="case-fieldset">
        <legend>{t('outreach.client.drugs')}</legend>
        <div className="checkbox-group ow-drugs">
          {DRUGS.filter((x) => x !== 'cannabis_plants' && x !== 'precursors').map((drug) => (
            <label key={drug} className="check">
              <input type="checkbox" checked={d.drugs.includes(drug)} onChange={() => toggleDrug(drug)} />
              <span>{t(`enforcement.drugs.${drug}`)}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <SelectField label={t('outreach.client.route')} value={d.route} onChange={(e) => set({ route: e.target.value as DrugRoute })}>
        {ROUTES.map((r) => (
          <option key={r} value={r}>
            {t(`outreach.routes.${r}`)}
          </option>
        ))}
      </SelectField>
      <TextField
        label={t('outreach.client.firstContactOn')}
        type="date"
        max={today}
        value={d.firstContactOn}
        onChange={(e) => set({ firstContactOn: e.target.value })}
        error={errors.firstContactOn && t(errors.firstContactOn)}
      />
      <div className="form-actions ow-actions">
        <button type="submit" className="button button--primary button--big" disabled={busy} data-testid="save-client">
          {t('outreach.client.save')}
        </button>
      </div>
    </form>
  );
}

export function NewClientPage() {
  const { t } = useTranslation();
  return (
    <OutreachPage title={t('outreach.client.newTitle')}>
      <NewClientBody />
    </OutreachPage>
  );
}

function NewClientBody() {
  const v = useVault();
  return (
    <NewClientForm
      format={v.uicFormat}
      sameUic={sameUic}
      onSave={async (client) => {
        await vault.record('client', client.id, client, { client: { ...client, local: true } });
        setFlash('outreach.client.saved');
        void syncNow();
        navigate(`/outreach/contact?client=${encodeURIComponent(client.id)}`);
      }}
    />
  );
}

const sameUic = (uic: string) => (uic ? vault.findByUic(uic) : Promise.resolve([]));
