/**
 * Record contact, phone first and fast: the client (from "Find client" or "New client", or anonymous
 * distribution), the setting and hotspot (remembered from the last contact), needles and syringes by size as
 * steppers with a "+10" pack button, used ones collected, condoms, naloxone, HIV/HCV test, counselling, wound care,
 * referrals (outcome pending). A typical needle exchange: +10 needles, +10 syringes, +10 collected, Save.
 */
import { useEffect, useState, useSyncExternalStore, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { uicDistance } from '../../core/uic';
import { uuid } from '../offline/crypto';
import { syncNow } from '../offline/engine';
import { useVault } from '../offline/hooks';
import { NEEDLE_SIZES, REFERRAL_TARGETS, SETTINGS, SYRINGE_SIZES, TEST_RESULTS, type ContactRecord, type Hotspot, type OutboxEntry, type ReferralTarget, type Setting, type TestResult } from '../offline/types';
import { vault, type LocalClient } from '../offline/vault';
import { navigate } from '../shell/router';
import { Notice, SelectField, TextField } from '../ui/Field';
import { OutreachPage, setFlash } from './Layout';
import { buildContact, contactToDraft, newContactDraft, validateContact, type ContactDraft, type Errors } from './records';
import { ChoiceTiles, Stepper, useFmt } from './ui';

function subscribeNav(cb: () => void) {
  window.addEventListener('popstate', cb);
  window.addEventListener('tonle:navigate', cb);
  return () => {
    window.removeEventListener('popstate', cb);
    window.removeEventListener('tonle:navigate', cb);
  };
}

/** A query parameter of the current URL (the router keeps only the path). */
export function useSearchParam(name: string): string | null {
  return useSyncExternalStore(subscribeNav, () => new URLSearchParams(window.location.search).get(name), () => null);
}

export function RecordContactPage() {
  const { t } = useTranslation();
  return (
    <OutreachPage title={t('outreach.contact.title')}>
      <RecordContactBody />
    </OutreachPage>
  );
}

function RecordContactBody() {
  const fix = useSearchParam('fix');
  if (fix) return <FixContact id={fix} />;
  return <NewContact />;
}

/** A rejected contact, corrected in the same form and sent again with the same id. */
function FixContact({ id }: { id: string }) {
  const { t } = useTranslation();
  const [state, setState] = useState<{ entry: OutboxEntry; client: LocalClient | null; hotspots: Hotspot[] } | null | undefined>(undefined);
  useEffect(() => {
    let alive = true;
    void (async () => {
      const entry = await vault.outboxEntry(id);
      if (!entry || entry.kind !== 'contact') return alive && setState(null);
      const c = entry.data as ContactRecord;
      const client = c.clientId ? ((await vault.client(c.clientId)) ?? null) : null;
      if (alive) setState({ entry, client, hotspots: await vault.hotspots() });
    })();
    return () => {
      alive = false;
    };
  }, [id]);
  if (state === undefined) return null;
  if (state === null) return <p className="muted">{t('outreach.waiting.gone')}</p>;
  const c = state.entry.data as ContactRecord;
  return (
    <>
      {state.entry.reason && (
        <Notice kind="error">
          <p data-testid="reject-reason">{t('outreach.waiting.reason', { reason: state.entry.reason })}</p>
        </Notice>
      )}
      <ContactForm
        client={state.client}
        hotspots={state.hotspots}
        defaults={{ setting: c.setting, hotspotId: c.hotspotId ?? '' }}
        initial={contactToDraft(c)}
        submitLabel={t('outreach.waiting.sendFixed')}
        onSave={async (fixed) => {
          await vault.fixContact({ ...fixed, id: c.id });
          setFlash('outreach.waiting.fixed');
          void syncNow();
          navigate('/outreach/waiting');
        }}
      />
    </>
  );
}

function NewContact() {
  const clientParam = useSearchParam('client');
  const anonymous = useSearchParam('anonymous') === '1';
  const v = useVault();
  const [client, setClient] = useState<LocalClient | null | undefined>(undefined);
  const [hotspots, setHotspots] = useState<Hotspot[] | null>(null);
  const [defaults, setDefaults] = useState<{ setting: Setting; hotspotId: string } | null>(null);

  useEffect(() => {
    let alive = true;
    if (!clientParam) setClient(null);
    else void vault.client(clientParam).then((c) => alive && setClient(c ?? null));
    return () => {
      alive = false;
    };
  }, [clientParam, v.version]);
  useEffect(() => {
    void vault.hotspots().then(setHotspots);
    void Promise.all([vault.getMeta<Setting>('lastSetting'), vault.getMeta<string>('lastHotspotId')]).then(([s, h]) =>
      setDefaults({ setting: s && (SETTINGS as readonly string[]).includes(s) ? s : 'hotspot', hotspotId: h ?? '' }),
    );
  }, []);

  if (client === undefined || !hotspots || !defaults) return null;
  if (!client && !anonymous) return <ChooseClient />;
  return (
    <ContactForm
      key={client?.id ?? 'anonymous'}
      client={client}
      hotspots={hotspots.filter((h) => h.active || h.id === defaults.hotspotId)}
      defaults={{ setting: defaults.setting, hotspotId: hotspots.some((h) => h.id === defaults.hotspotId && h.active) ? defaults.hotspotId : '' }}
      onSave={async (c) => {
        await vault.record('contact', c.id, c, { contact: { ...c, recordedAt: new Date().toISOString() } });
        await vault.setMeta('lastSetting', c.setting);
        if (c.hotspotId) await vault.setMeta('lastHotspotId', c.hotspotId);
        setFlash('outreach.contact.saved');
        void syncNow();
        navigate('/outreach');
      }}
    />
  );
}

/** No client yet: type a UIC (exact and one-character-apart matches) or choose anonymous distribution. */
export function ChooseClient() {
  const { t } = useTranslation();
  const [uic, setUic] = useState('');
  const [found, setFound] = useState<{ exact: LocalClient[]; near: LocalClient[] }>({ exact: [], near: [] });
  useEffect(() => {
    const u = uic.trim().toUpperCase();
    if (u.length < 3) {
      setFound({ exact: [], near: [] });
      return;
    }
    let alive = true;
    void vault.clients().then((all) => {
      if (!alive) return;
      const exact = all.filter((c) => c.uic === u);
      const near = all.filter((c) => c.uic !== u && (uicDistance(c.uic, u) === 1 || (u.length < c.uic.length && c.uic.startsWith(u))));
      setFound({ exact, near: near.slice(0, 20) });
    });
    return () => {
      alive = false;
    };
  }, [uic]);
  return (
    <div className="ow-choose">
      <TextField
        label={t('outreach.find.uic')}
        value={uic}
        onChange={(e) => setUic(e.target.value.toUpperCase())}
        autoComplete="off"
        autoCapitalize="characters"
        spellCheck={false}
        hint={t('outreach.find.uicHint')}
        data-testid="uic-search"
      />
      <ClientList clients={found.exact} />
      {found.near.length > 0 && (
        <>
          <h2 className="ow-sub">{t('outreach.find.similar')}</h2>
          <ClientList clients={found.near} />
        </>
      )}
      {uic.trim().length >= 3 && found.exact.length === 0 && found.near.length === 0 && <p className="muted">{t('outreach.find.none')}</p>}
      <div className="ow-choose-actions">
        <button type="button" className="button" onClick={() => navigate('/outreach/find')}>
          {t('outreach.find.fromNames')}
        </button>
        <button type="button" className="button" data-testid="anonymous" onClick={() => navigate('/outreach/contact?anonymous=1')}>
          {t('outreach.contact.anonymous')}
        </button>
      </div>
    </div>
  );
}

export function ClientList({ clients }: { clients: LocalClient[] }) {
  const { t } = useTranslation();
  const { num } = useFmt();
  if (!clients.length) return null;
  return (
    <ul className="ow-clients">
      {clients.map((c) => (
        <li key={c.id} className="ow-client card">
          <div>
            <span className="mono ow-client-uic">{c.uic}</span>{' '}
            {c.local && <span className="badge">{t('outreach.find.notSent')}</span>}
            <br />
            <span className="muted small">
              {t(`outreach.sexes.${c.sex}`)} · {c.birthYear ? num(c.birthYear) : t('outreach.uic.unknown')} · {t(`outreach.statuses.${c.status}`)}
            </span>
          </div>
          <button type="button" className="button button--primary" onClick={() => navigate(`/outreach/contact?client=${encodeURIComponent(c.id)}`)}>
            {t('outreach.find.record')}
          </button>
        </li>
      ))}
    </ul>
  );
}

export function ContactForm({
  client,
  hotspots,
  defaults,
  initial,
  submitLabel,
  onSave,
}: {
  client: LocalClient | null;
  hotspots: Hotspot[];
  defaults: { setting: Setting; hotspotId: string };
  initial?: ContactDraft;
  submitLabel?: string;
  onSave: (c: ContactRecord) => Promise<void>;
}) {
  const { t } = useTranslation();
  const { num } = useFmt();
  const [d, setD] = useState<ContactDraft>(
    () =>
      initial ??
      newContactDraft({ clientId: client?.id ?? null, setting: defaults.setting, hotspotId: defaults.hotspotId || (hotspots.length === 1 ? hotspots[0].id : '') }),
  );
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const set = (patch: Partial<ContactDraft>) => setD((x) => ({ ...x, ...patch }));
  const err = (k: string) => (errors[k] ? t(errors[k]) : undefined);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errs = validateContact(d);
    setErrors(errs);
    if (Object.keys(errs).length) {
      requestAnimationFrame(() => document.querySelector<HTMLElement>('.ow-form [aria-invalid="true"]')?.focus());
      return;
    }
    setBusy(true);
    setFailed(false);
    try {
      await onSave(buildContact(d, uuid()));
    } catch {
      setFailed(true);
      setBusy(false);
    }
  };

  return (
    <form className="ow-form" onSubmit={submit} noValidate aria-label={t('outreach.contact.title')}>
      {failed && <Notice kind="error">{t('outreach.errors.saveFailed')}</Notice>}
      <div className="ow-who card" data-testid="contact-client">
        {client ? (
          <>
            <span>{t('outreach.contact.client')}</span> <strong className="mono">{client.uic}</strong>{' '}
            <span className="muted small">
              {t(`outreach.sexes.${client.sex}`)} · {client.birthYear ? num(client.birthYear) : t('outreach.uic.unknown')}
            </span>
          </>
        ) : (
          <strong>{t('outreach.contact.anonymousShort')}</strong>
        )}{' '}
        {!initial && (
          <button type="button" className="button button--small button--quiet" onClick={() => navigate('/outreach/contact')}>
            {t('outreach.contact.change')}
          </button>
        )}
      </div>

      <ChoiceTiles legend={t('outreach.contact.setting')} name="ow-setting" options={SETTINGS} value={d.setting} onChange={(setting) => set({ setting })} label={(s) => t(`outreach.settings.${s}`)} />
      {d.setting === 'hotspot' && (
        <SelectField label={t('outreach.contact.hotspot')} value={d.hotspotId} onChange={(e) => set({ hotspotId: e.target.value })} error={err('hotspotId')} data-testid="hotspot">
          <option value="">{t('common.choose')}</option>
          {hotspots.map((h) => (
            <option key={h.id} value={h.id}>
              {h.code}
            </option>
          ))}
        </SelectField>
      )}
      {d.setting === 'hotspot' && hotspots.length === 0 && <p className="hint">{t('outreach.contact.noHotspots')}</p>}

      <fieldset className="case-fieldset ow-steppers">
        <legend>{t('outreach.contact.needles')}</legend>
        {NEEDLE_SIZES.map((s) => (
          <Stepper
            key={s}
            label={t('outreach.contact.needleSize', { size: s })}
            value={d.needles[s]}
            onChange={(v) => setD((x) => ({ ...x, needles: { ...x.needles, [s]: v } }))}
            error={err(`needles.${s}`)}
            quick={[10]}
            testId={`needles-${s}`}
          />
        ))}
      </fieldset>
      <fieldset className="case-fieldset ow-steppers">
        <legend>{t('outreach.contact.syringes')}</legend>
        {SYRINGE_SIZES.map((s) => (
          <Stepper
            key={s}
            label={t('outreach.contact.syringeSize', { size: s })}
            value={d.syringes[s]}
            onChange={(v) => setD((x) => ({ ...x, syringes: { ...x.syringes, [s]: v } }))}
            error={err(`syringes.${s}`)}
            quick={[10]}
            testId={`syringes-${s}`}
          />
        ))}
      </fieldset>
      <fieldset className="case-fieldset ow-steppers">
        <legend>{t('outreach.contact.other')}</legend>
        <Stepper label={t('outreach.contact.returned')} value={d.returned} onChange={(returned) => set({ returned })} error={err('returned')} quick={[10]} testId="returned" />
        <Stepper label={t('outreach.contact.condoms')} value={d.condoms} onChange={(condoms) => set({ condoms })} error={err('condoms')} quick={[10]} testId="condoms" />
        <Stepper label={t('outreach.contact.naloxone')} value={d.naloxone} onChange={(naloxone) => set({ naloxone })} error={err('naloxone')} testId="naloxone" />
      </fieldset>

      <fieldset className="case-fieldset">
        <legend>{t('outreach.contact.services')}</legend>
        <div className="ow-two">
          <SelectField label={t('outreach.contact.hivTest')} value={d.hivTest} onChange={(e) => set({ hivTest: e.target.value as TestResult })}>
            {TEST_RESULTS.map((r) => (
              <option key={r} value={r}>
                {t(`outreach.tests.${r}`)}
              </option>
            ))}
          </SelectField>
          <SelectField label={t('outreach.contact.hcvTest')} value={d.hcvTest} onChange={(e) => set({ hcvTest: e.target.value as TestResult })}>
            {TEST_RESULTS.map((r) => (
              <option key={r} value={r}>
                {t(`outreach.tests.${r}`)}
              </option>
            ))}
          </SelectField>
        </div>
        <label className="check">
          <input type="checkbox" checked={d.counselling} onChange={(e) => set({ counselling: e.target.checked })} />
          <span>{t('outreach.contact.counselling')}</span>
        </label>
        <label className="check">
          <input type="checkbox" checked={d.woundCare} onChange={(e) => set({ woundCare: e.target.checked })} />
          <span>{t('outreach.contact.woundCare')}</span>
        </label>
      </fieldset>

      <fieldset className="case-fieldset">
        <legend>{t('outreach.contact.referrals')}</legend>
        {d.referrals.map((r, i) => (
          <div key={r.id} className="ow-referral">
            <SelectField
              label={t('outreach.contact.referralN', { n: i + 1 })}
              value={r.target}
              onChange={(e) => setD((x) => ({ ...x, referrals: x.referrals.map((y, j) => (j === i ? { ...y, target: e.target.value as ReferralTarget } : y)) }))}
              error={err(`referrals.${i}`)}
              hint={t('outreach.contact.outcomePending')}
            >
              <option value="">{t('common.choose')}</option>
              {REFERRAL_TARGETS.map((x) => (
                <option key={x} value={x}>
                  {t(`outreach.referralTargets.${x}`)}
                </option>
              ))}
            </SelectField>
            <button type="button" className="button button--small button--quiet" onClick={() => setD((x) => ({ ...x, referrals: x.referrals.filter((_, j) => j !== i) }))}>
              {t('outreach.contact.removeReferral')}
            </button>
          </div>
        ))}
        <button type="button" className="button button--small" onClick={() => setD((x) => ({ ...x, referrals: [...x.referrals, { id: uuid(), target: '' }] }))}>
          {t('outreach.contact.addReferral')}
        </button>
      </fieldset>

      <TextField label={t('outreach.contact.at')} type="datetime-local" value={d.at} onChange={(e) => set({ at: e.target.value })} error={err('at')} />

      <div className="form-actions ow-actions ow-sticky-save">
        <button type="submit" className="button button--primary button--big" disabled={busy} data-testid="save-contact">
          {submitLabel ?? t('outreach.contact.save')}
        </button>
      </div>
    </form>
  );
}
