/**
 * Treatment staff: admit a client to one of the organisation's open centres. The client is named by the UIC only:
 * UicHelper computes it from the parents' first names (Khmer or Latin), sex and birth date — the names stay inside
 * that component and are never stored, logged or sent. The form is checked with the shared admissionInput schema
 * before it is sent; the server's field errors (an overlapping stay, …) are shown at their field. After saving, the
 * centre page opens with the new client in the list of people in care.
 */
import { useCallback, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { todayInCambodia } from '../../core/dates';
import {
  INJECTING,
  LEGAL_BASES,
  MAX_SECONDARY_DRUGS,
  PREVIOUS_TREATMENT,
  REFERRAL_SOURCES,
  TREATMENT_AGE_BANDS,
  TREATMENT_DRUGS,
  admissionInput,
  type CentreDto,
} from '../../core/treatment';
import { ROUTES, type ClientSex } from '../../core/harm-reduction';
import { ApiError } from '../api/client';
import { errorMsg, type FieldErrors, type Msg } from '../i18n/messages';
import { navigate } from '../shell/router';
import { Notice, SelectField, TextField } from '../ui/Field';
import { useLoad } from '../ui/useAsync';
import { UicHelper } from '../outreach/UicHelper';
import { ChoiceTiles } from '../outreach/ui';
import type { BirthParts } from '../outreach/records';
import { treatmentApi } from './api';
import { LoadFailed, Loading, useCentreName, useMsg, useTreatmentFormats } from './common';
import { setTreatmentFlash } from './flash';
import { apiErrors, zodErrors } from './messages';
import { useOwnCentres } from './ownCentres';

const FIELDS = [
  'centreId',
  'uic',
  'admittedOn',
  'referralSource',
  'legalBasis',
  'consentRecorded',
  'primaryDrug',
  'secondaryDrugs',
  'route',
  'injecting',
  'previousTreatment',
  'sex',
  'ageBand',
] as const;

export function AdmitPage() {
  const { t } = useTranslation();
  const { centres, own } = useOwnCentres();
  const format = useLoad(() => treatmentApi.uicFormat());
  const open = own.filter((c) => c.status === 'open');
  return (
    <section className="page tr-page tr-admit" aria-labelledby="page-title">
      <h1 id="page-title">{t('treatment.admit.title')}</h1>
      <p className="muted">{t('treatment.admit.intro')}</p>
      {centres.error ? <LoadFailed error={centres.error} retry={() => void centres.reload()} /> : null}
      {format.error ? <LoadFailed error={format.error} retry={() => void format.reload()} /> : null}
      {(centres.loading && !centres.data) || (format.loading && !format.data) ? <Loading /> : null}
      {centres.data && open.length === 0 ? <Notice kind="info">{t('treatment.admit.noOpenCentre')}</Notice> : null}
      {centres.data && format.data && open.length > 0 && <AdmitForm centres={open} format={format.data} />}
    </section>
  );
}

interface Draft {
  centreId: string;
  sex: ClientSex | '';
  birth: BirthParts;
  admittedOn: string;
  referralSource: string;
  legalBasis: string;
  consentRecorded: boolean;
  primaryDrug: string;
  secondaryDrugs: string[];
  route: string;
  injecting: string;
  previousTreatment: string;
  ageBand: string;
}

export function AdmitForm({ centres, format }: { centres: CentreDto[]; format: string }) {
  const { t } = useTranslation();
  const msg = useMsg();
  const f = useTreatmentFormats();
  const centreName = useCentreName();
  const today = todayInCambodia();
  const wanted = new URLSearchParams(window.location.search).get('centre');
  const [d, setD] = useState<Draft>(() => ({
    centreId: centres.find((c) => c.id === wanted)?.id ?? centres[0]?.id ?? '',
    sex: '',
    birth: { year: '', month: '', day: '' },
    admittedOn: today,
    referralSource: '',
    legalBasis: '',
    consentRecorded: false,
    primaryDrug: '',
    secondaryDrugs: [],
    route: '',
    injecting: '',
    previousTreatment: '',
    ageBand: '',
  }));
  // Only the computed code leaves the helper; the names stay in its own state.
  const [uic, setUic] = useState('');
  const onUic = useCallback((u: string) => setUic(u), []);
  const [fields, setFields] = useState<FieldErrors>({});
  const [error, setError] = useState<Msg[]>([]);
  const [busy, setBusy] = useState(false);

  const set = (patch: Partial<Draft>) => setD((x) => ({ ...x, ...patch }));
  const toggleSecondary = (drug: string, on: boolean) =>
    set({ secondaryDrugs: on ? [...d.secondaryDrugs, drug].slice(0, MAX_SECONDARY_DRUGS) : d.secondaryDrugs.filter((x) => x !== drug) });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError([]);
    const body = {
      centreId: d.centreId,
      uic,
      admittedOn: d.admittedOn,
      referralSource: d.referralSource,
      legalBasis: d.legalBasis,
      consentRecorded: d.consentRecorded,
      primaryDrug: d.primaryDrug,
      secondaryDrugs: d.secondaryDrugs,
      route: d.route,
      injecting: d.injecting,
      previousTreatment: d.previousTreatment,
      sex: d.sex,
      ageBand: d.ageBand,
    };
    const parsed = admissionInput(today, format).safeParse(body);
    if (!parsed.success) {
      setFields(zodErrors(parsed.error, body));
      setError([{ key: 'common.formHasErrors' }]);
      return;
    }
    setFields({});
    setBusy(true);
    try {
      const a = await treatmentApi.admit(parsed.data);
      setTreatmentFlash('treatment.admit.saved', { uic: a.uic });
      navigate(`/treatment?centre=${encodeURIComponent(a.centreId)}`);
      return;
    } catch (err) {
      const r = apiErrors(err, FIELDS);
      setFields(r.fields);
      setError(Object.keys(r.fields).length ? [{ key: 'common.formHasErrors' }, ...r.other] : r.other.length ? r.other : [errorMsg(err)]);
      if (err instanceof ApiError && r.fields.admittedOn) document.getElementById('admit-date')?.focus();
    }
    setBusy(false);
  };

  return (
    <form className="tr-admit-form" onSubmit={submit} noValidate aria-label={t('treatment.admit.title')} autoComplete="off">
      {error.length > 0 && <Notice kind="error">{error.map((m) => msg(m)).join(' ')}</Notice>}
      <SelectField label={t('treatment.admit.centre')} name="centreId" value={d.centreId} onChange={(e) => set({ centreId: e.target.value })} error={msg(fields.centreId)}>
        {centres.map((c) => (
          <option key={c.id} value={c.id}>
            {centreName(c)}
          </option>
        ))}
      </SelectField>

      <fieldset className="case-fieldset">
        <legend>{t('treatment.admit.identity')}</legend>
        <p className="hint">{t('treatment.admit.namesNotKept')}</p>
        <UicHelper format={format} sex={d.sex} birth={d.birth} onSex={(sex) => set({ sex })} onBirth={(birth) => set({ birth })} onUic={onUic} errors={{ sex: msg(fields.sex) }} />
        {fields.uic && <Notice kind="error">{msg(fields.uic)}</Notice>}
        <SelectField label={t('treatment.admit.ageBand')} name="ageBand" value={d.ageBand} onChange={(e) => set({ ageBand: e.target.value })} error={msg(fields.ageBand)}>
          <option value="">{t('common.choose')}</option>
          {TREATMENT_AGE_BANDS.map((b) => (
            <option key={b} value={b}>
              {t(`enforcement.ageBands.${b}`)}
            </option>
          ))}
        </SelectField>
      </fieldset>

      <fieldset className="case-fieldset">
        <legend>{t('treatment.admit.admission')}</legend>
        <TextField
          id="admit-date"
          label={t('treatment.admit.admittedOn')}
          name="admittedOn"
          type="date"
          max={today}
          value={d.admittedOn}
          onChange={(e) => set({ admittedOn: e.target.value })}
          error={msg(fields.admittedOn)}
        />
        <ChoiceTiles
          legend={t('treatment.admit.referralSource')}
          name="referralSource"
          options={REFERRAL_SOURCES}
          value={d.referralSource as (typeof REFERRAL_SOURCES)[number] | ''}
          onChange={(v) => set({ referralSource: v })}
          label={(v) => t(`treatment.referralSources.${v}`)}
          error={msg(fields.referralSource)}
        />
        <ChoiceTiles
          legend={t('treatment.admit.legalBasis')}
          name="legalBasis"
          options={LEGAL_BASES}
          value={d.legalBasis as (typeof LEGAL_BASES)[number] | ''}
          onChange={(v) => set({ legalBasis: v })}
          label={(v) => t(`treatment.legalBases.${v}`)}
          error={msg(fields.legalBasis)}
        />
        <div className={`field${fields.consentRecorded ? ' field--error' : ''}`}>
          <label className="check">
            <input
              type="checkbox"
              name="consentRecorded"
              checked={d.consentRecorded}
              onChange={(e) => set({ consentRecorded: e.target.checked })}
              aria-invalid={fields.consentRecorded ? true : undefined}
              aria-describedby={fields.consentRecorded ? 'consent-err' : 'consent-hint'}
            />
            <span>{t('treatment.admit.consent')}</span>
          </label>
          <p className="hint" id="consent-hint">
            {t('treatment.admit.consentHint')}
          </p>
          {fields.consentRecorded && (
            <p className="field-error" id="consent-err" role="alert">
              {msg(fields.consentRecorded)}
            </p>
          )}
        </div>
      </fieldset>

      <fieldset className="case-fieldset">
        <legend>{t('treatment.admit.drugUse')}</legend>
        <SelectField
          label={t('treatment.admit.primaryDrug')}
          name="primaryDrug"
          value={d.primaryDrug}
          onChange={(e) => set({ primaryDrug: e.target.value, secondaryDrugs: d.secondaryDrugs.filter((x) => x !== e.target.value) })}
          error={msg(fields.primaryDrug)}
        >
          <option value="">{t('common.choose')}</option>
          {TREATMENT_DRUGS.map((drug) => (
            <option key={drug} value={drug}>
              {t(`enforcement.drugs.${drug}`)}
            </option>
          ))}
        </SelectField>
        <fieldset className={`checkbox-group${fields.secondaryDrugs ? ' field--error' : ''}`} aria-describedby="secondary-hint">
          <legend>{t('treatment.admit.secondaryDrugs')}</legend>
          <p className="hint" id="secondary-hint">
            {t('treatment.admit.secondaryHint', { n: f.num(MAX_SECONDARY_DRUGS) })}
          </p>
          <div className="tr-drugs">
            {TREATMENT_DRUGS.filter((drug) => drug !== d.primaryDrug).map((drug) => {
              const on = d.secondaryDrugs.includes(drug);
              return (
                <label key={drug} className="checkbox">
                  <input type="checkbox" checked={on} disabled={!on && d.secondaryDrugs.length >= MAX_SECONDARY_DRUGS} onChange={(e) => toggleSecondary(drug, e.target.checked)} />
                  <span>{t(`enforcement.drugs.${drug}`)}</span>
                </label>
              );
            })}
          </div>
          {fields.secondaryDrugs && (
            <p className="field-error" role="alert">
              {msg(fields.secondaryDrugs)}
            </p>
          )}
        </fieldset>
        <SelectField label={t('treatment.admit.route')} name="route" value={d.route} onChange={(e) => set({ route: e.target.value })} error={msg(fields.route)}>
          <option value="">{t('common.choose')}</option>
          {ROUTES.map((r) => (
            <option key={r} value={r}>
              {t(`outreach.routes.${r}`)}
            </option>
          ))}
        </SelectField>
        <SelectField label={t('treatment.admit.injecting')} name="injecting" value={d.injecting} onChange={(e) => set({ injecting: e.target.value })} error={msg(fields.injecting)}>
          <option value="">{t('common.choose')}</option>
          {INJECTING.map((v) => (
            <option key={v} value={v}>
              {t(`treatment.injecting.${v}`)}
            </option>
          ))}
        </SelectField>
        <ChoiceTiles
          legend={t('treatment.admit.previousTreatment')}
          name="previousTreatment"
          options={PREVIOUS_TREATMENT}
          value={d.previousTreatment as (typeof PREVIOUS_TREATMENT)[number] | ''}
          onChange={(v) => set({ previousTreatment: v })}
          label={(v) => t(`treatment.previousTreatment.${v}`)}
          error={msg(fields.previousTreatment)}
        />
      </fieldset>

      <div className="form-actions">
        <button type="submit" className="button button--primary button--big" disabled={busy} data-testid="save-admission">
          {busy ? t('common.working') : t('treatment.admit.save')}
        </button>
      </div>
    </form>
  );
}
