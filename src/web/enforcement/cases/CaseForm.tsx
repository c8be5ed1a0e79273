/**
 * The case form, phone first: reference, dates (today), place (the unit's usual place), case type as big radio
 * buttons, compact person rows ("Add another like this one" copies the last person), seizure rows with a unit
 * that follows the drug, assets folded away. Validated with the server's own schema before sending.
 */
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { AGE_BANDS, ASSET_FIELDS, CASE_TYPES, DISPOSITIONS, DRUGS, PERSON_ROLES, QUANTITY_UNITS, SEXES, type CaseInput, type CaseType, type Drug } from '../../../core/enforcement';
import { todayInCambodia } from '../../../core/dates';
import { api, ApiError } from '../../api/client';
import type { GeoUnit } from '../../api/types';
import { errorMsg, show, type Msg } from '../../i18n/messages';
import { Notice, SelectField, TextField } from '../../ui/Field';
import { useLoad } from '../../ui/useAsync';
import { usePlaceName } from '../../ui/places';
import {
  apiPathErrors,
  copyPerson,
  defaultRole,
  defaultUnit,
  emptyPerson,
  emptySeizure,
  nationalityOptions,
  validate,
  type CaseDraft,
  type PathErrors,
  type PersonDraft,
  type SeizureDraft,
} from './form';

/** Paths the form shows next to a field; any other error goes to the message at the top. */
function shownPath(path: string): boolean {
  return /^(unitReference|occurredOn|reportedOn|provinceCode|districtCode|communeCode|caseType|persons\.\d+\.(role|sex|ageBand|nationality|disposition)|seizures\.\d+\.(drug|quantity|unit)|assets\.\w+)$/.test(path);
}

export function CaseForm({
  initial,
  mode,
  onSubmit,
  onCancel,
  onStale,
}: {
  initial: CaseDraft;
  mode: 'new' | 'correct';
  /** Sends the validated body; throws the API's error. */
  onSubmit: (body: CaseInput) => Promise<void>;
  onCancel?: () => void;
  /** Someone else changed the case meanwhile: offer to reload it. */
  onStale?: () => void;
}) {
  const { t, i18n } = useTranslation();
  const placeName = usePlaceName();
  const locale = i18n.language === 'km' ? 'km' : 'en';
  const [d, setD] = useState<CaseDraft>(initial);
  const [errors, setErrors] = useState<PathErrors>({});
  const [general, setGeneral] = useState<Msg[]>([]);
  const [stale, setStale] = useState(false);
  const [busy, setBusy] = useState(false);
  const [assetsOpen, setAssetsOpen] = useState(() => ASSET_FIELDS.some((k) => initial.assets[k] !== ''));
  const formRef = useRef<HTMLFormElement>(null);
  const provinces = useLoad(() => api.provinces());
  const [districts, setDistricts] = useState<GeoUnit[] | null>(null);
  const [communes, setCommunes] = useState<GeoUnit[] | null>(null);
  const nationalities = useMemo(() => nationalityOptions(locale, (c) => t(`cases.countries.${c}`)), [locale, t]);
  const today = todayInCambodia();

  useEffect(() => {
    setDistricts(null);
    if (!d.provinceCode) return;
    let alive = true;
    api.districts(d.provinceCode).then(
      (x) => alive && setDistricts(x),
      () => alive && setDistricts([]),
    );
    return () => {
      alive = false;
    };
  }, [d.provinceCode]);

  useEffect(() => {
    setCommunes(null);
    if (!d.districtCode) return;
    let alive = true;
    api.communes(d.districtCode).then(
      (x) => alive && setCommunes(x),
      () => alive && setCommunes([]),
    );
    return () => {
      alive = false;
    };
  }, [d.districtCode]);

  const err = (path: string) => show(t, errors[path]);
  const set = (patch: Partial<CaseDraft>) => setD((x) => ({ ...x, ...patch }));
  const setPerson = (i: number, patch: Partial<PersonDraft>) => setD((x) => ({ ...x, persons: x.persons.map((p, j) => (j === i ? { ...p, ...patch } : p)) }));
  const setSeizure = (i: number, patch: Partial<SeizureDraft>) => setD((x) => ({ ...x, seizures: x.seizures.map((s, j) => (j === i ? { ...s, ...patch } : s)) }));

  const chooseCaseType = (ct: CaseType) =>
    setD((x) => {
      const before = defaultRole(x.caseType);
      const after = defaultRole(ct);
      // Persons whose role was never chosen by hand follow the case type.
      return { ...x, caseType: ct, persons: x.persons.map((p) => (p.role === '' || (p.role === before && !p.id) ? { ...p, role: after } : p)) };
    });

  const focusFirstError = () =>
    requestAnimationFrame(() => {
      const el = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
      el?.focus();
    });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setGeneral([]);
    setStale(false);
    const v = validate(d, today);
    if (!v.ok) {
      if (v.errors['assets'] || Object.keys(v.errors).some((k) => k.startsWith('assets.'))) setAssetsOpen(true);
      setErrors(v.errors);
      const hidden = Object.entries(v.errors).filter(([k]) => !shownPath(k));
      setGeneral([{ key: 'common.formHasErrors' }, ...hidden.map(([k, m]) => ({ raw: `${k}: ${show(t, m)}` }))]);
      focusFirstError();
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await onSubmit(v.body);
    } catch (x) {
      if (x instanceof ApiError && x.code === 'stale') {
        setStale(true);
      } else if (x instanceof ApiError && x.fields.length && x.code !== 'voided') {
        const f = apiPathErrors(x.fields);
        setErrors(f);
        if (Object.keys(f).some((k) => k.startsWith('assets.'))) setAssetsOpen(true);
        const hidden = Object.entries(f).filter(([k]) => !shownPath(k));
        setGeneral([{ key: 'common.formHasErrors' }, ...hidden.map(([k, m]) => ({ raw: `${k}: ${show(t, m)}` }))]);
        focusFirstError();
      } else if (x instanceof ApiError && x.code === 'voided') {
        setGeneral([{ key: 'cases.errors.voided' }]);
      } else {
        setGeneral([errorMsg(x)]);
      }
    } finally {
      setBusy(false);
    }
  };

  const last = d.persons[d.persons.length - 1];

  return (
    <form ref={formRef} className="case-form" onSubmit={submit} noValidate aria-label={t(mode === 'new' ? 'cases.form.newTitle' : 'cases.form.correctTitle')}>
      {stale && (
        <Notice kind="error">
          {t('cases.errors.stale')}{' '}
          {onStale && (
            <button type="button" className="button button--small" onClick={onStale}>
              {t('cases.case.reload')}
            </button>
          )}
        </Notice>
      )}
      {general.length > 0 && (
        <Notice kind="error">
          {general.map((m, i) => (
            <p key={i}>{show(t, m)}</p>
          ))}
        </Notice>
      )}

      <div className="case-form-grid">
        <TextField
          label={t('cases.form.unitReference')}
          name="unitReference"
          value={d.unitReference}
          onChange={(e) => set({ unitReference: e.target.value })}
          error={err('unitReference')}
          hint={t('cases.form.unitReferenceHint')}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={40}
        />
        <TextField
          label={t('cases.form.occurredOn')}
          name="occurredOn"
          type="date"
          max={today}
          value={d.occurredOn}
          onChange={(e) => set({ occurredOn: e.target.value, ...(d.reportedOn < e.target.value ? { reportedOn: e.target.value } : {}) })}
          error={err('occurredOn')}
        />
        <TextField
          label={t('cases.form.reportedOn')}
          name="reportedOn"
          type="date"
          max={today}
          value={d.reportedOn}
          onChange={(e) => set({ reportedOn: e.target.value })}
          error={err('reportedOn')}
        />
      </div>

      <fieldset className="case-fieldset">
        <legend>{t('cases.form.place')}</legend>
        <div className="case-form-grid">
          <SelectField
            label={t('cases.form.province')}
            name="provinceCode"
            value={d.provinceCode}
            onChange={(e) => set({ provinceCode: e.target.value, districtCode: '', communeCode: '' })}
            error={err('provinceCode')}
          >
            <option value="">{t('common.choose')}</option>
            {provinces.data?.map((p) => (
              <option key={p.code} value={p.code}>
                {placeName(p)}
              </option>
            ))}
            {!provinces.data && d.provinceCode && <option value={d.provinceCode}>{d.provinceCode}</option>}
          </SelectField>
          <SelectField
            label={t('cases.form.district')}
            optional={t('common.optional')}
            name="districtCode"
            value={d.districtCode}
            disabled={!d.provinceCode || (districts !== null && districts.length === 0)}
            onChange={(e) => set({ districtCode: e.target.value, communeCode: '' })}
            error={err('districtCode')}
          >
            <option value="">{t('common.none')}</option>
            {districts?.map((x) => (
              <option key={x.code} value={x.code}>
                {placeName(x)}
              </option>
            ))}
            {!districts && d.districtCode && <option value={d.districtCode}>{d.districtCode}</option>}
          </SelectField>
          <SelectField
            label={t('cases.form.commune')}
            optional={t('common.optional')}
            name="communeCode"
            value={d.communeCode}
            disabled={!d.districtCode || (communes !== null && communes.length === 0)}
            onChange={(e) => set({ communeCode: e.target.value })}
            error={err('communeCode')}
          >
            <option value="">{t('common.none')}</option>
            {communes?.map((x) => (
              <option key={x.code} value={x.code}>
                {placeName(x)}
              </option>
            ))}
            {!communes && d.communeCode && <option value={d.communeCode}>{d.communeCode}</option>}
          </SelectField>
        </div>
      </fieldset>

      <fieldset className={`case-fieldset${errors.caseType ? ' field--error' : ''}`} aria-describedby={errors.caseType ? 'caseType-err' : undefined}>
        <legend>{t('cases.form.caseType')}</legend>
        <div className="choice-tiles">
          {CASE_TYPES.map((ct) => (
            <label key={ct} className={`choice-tile${d.caseType === ct ? ' choice-tile--on' : ''}`}>
              <input type="radio" name="caseType" value={ct} checked={d.caseType === ct} onChange={() => chooseCaseType(ct)} aria-invalid={errors.caseType ? true : undefined} />
              <span>{t(`enforcement.caseTypes.${ct}`)}</span>
            </label>
          ))}
        </div>
        {errors.caseType && (
          <p className="field-error" id="caseType-err" role="alert">
            {err('caseType')}
          </p>
        )}
      </fieldset>

      <fieldset className="case-fieldset">
        <legend>{t('cases.form.persons', { count: d.persons.length })}</legend>
        <p className="hint">{t('cases.form.personsHint')}</p>
        {d.persons.map((p, i) => {
          const n = i + 1;
          const path = `persons.${i}`;
          return (
            <div key={i} className="case-row" role="group" aria-label={t('cases.form.personN', { n })}>
              <div className="case-row-head">
                <strong>{t('cases.form.personN', { n })}</strong>
                <button
                  type="button"
                  className="button button--small button--quiet"
                  aria-label={t('cases.form.removePersonN', { n })}
                  onClick={() => setD((x) => ({ ...x, persons: x.persons.filter((_, j) => j !== i) }))}
                >
                  {t('cases.form.remove')}
                </button>
              </div>
              <div className="case-row-fields case-row-fields--person">
                <SelectField label={t('cases.form.role')} aria-label={t('cases.form.personRole', { n })} value={p.role} onChange={(e) => setPerson(i, { role: e.target.value as PersonDraft['role'] })} error={err(`${path}.role`)}>
                  <option value="">{t('common.choose')}</option>
                  {PERSON_ROLES.map((r) => (
                    <option key={r} value={r}>
                      {t(`enforcement.personRoles.${r}`)}
                    </option>
                  ))}
                </SelectField>
                <SelectField label={t('cases.form.sex')} aria-label={t('cases.form.personSex', { n })} value={p.sex} onChange={(e) => setPerson(i, { sex: e.target.value as PersonDraft['sex'] })} error={err(`${path}.sex`)}>
                  <option value="">{t('common.choose')}</option>
                  {SEXES.map((s) => (
                    <option key={s} value={s}>
                      {t(`enforcement.sexes.${s}`)}
                    </option>
                  ))}
                </SelectField>
                <SelectField label={t('cases.form.ageBand')} aria-label={t('cases.form.personAgeBand', { n })} value={p.ageBand} onChange={(e) => setPerson(i, { ageBand: e.target.value as PersonDraft['ageBand'] })} error={err(`${path}.ageBand`)}>
                  <option value="">{t('common.choose')}</option>
                  {AGE_BANDS.map((a) => (
                    <option key={a} value={a}>
                      {t(`enforcement.ageBands.${a}`)}
                    </option>
                  ))}
                </SelectField>
                <SelectField label={t('cases.form.nationality')} aria-label={t('cases.form.personNationality', { n })} value={p.nationality} onChange={(e) => setPerson(i, { nationality: e.target.value })} error={err(`${path}.nationality`)}>
                  <optgroup label={t('cases.form.commonNationalities')}>
                    {nationalities.common.map((c) => (
                      <option key={c.code} value={c.code}>
                        {c.name}
                      </option>
                    ))}
                  </optgroup>
                  <optgroup label={t('cases.form.otherNationalities')}>
                    {nationalities.others.map((c) => (
                      <option key={c.code} value={c.code}>
                        {c.name}
                      </option>
                    ))}
                  </optgroup>
                </SelectField>
                <SelectField
                  label={t('cases.form.disposition')}
                  aria-label={t('cases.form.personDisposition', { n })}
                  value={p.disposition}
                  onChange={(e) => setPerson(i, { disposition: e.target.value as PersonDraft['disposition'] })}
                  error={err(`${path}.disposition`)}
                >
                  {DISPOSITIONS.map((x) => (
                    <option key={x} value={x}>
                      {t(`enforcement.dispositions.${x}`)}
                    </option>
                  ))}
                </SelectField>
              </div>
            </div>
          );
        })}
        <div className="form-actions">
          {last && (
            <button type="button" className="button" onClick={() => setD((x) => ({ ...x, persons: [...x.persons, copyPerson(x.persons[x.persons.length - 1])] }))}>
              {t('cases.form.addLikeThis')}
            </button>
          )}
          <button type="button" className="button" onClick={() => setD((x) => ({ ...x, persons: [...x.persons, emptyPerson(x.caseType)] }))}>
            {t('cases.form.addPerson')}
          </button>
        </div>
      </fieldset>

      <fieldset className="case-fieldset">
        <legend>{t('cases.form.seizures', { count: d.seizures.length })}</legend>
        {d.seizures.map((s, i) => {
          const n = i + 1;
          const path = `seizures.${i}`;
          return (
            <div key={i} className="case-row" role="group" aria-label={t('cases.form.seizureN', { n })}>
              <div className="case-row-head">
                <strong>{t('cases.form.seizureN', { n })}</strong>
                <button
                  type="button"
                  className="button button--small button--quiet"
                  aria-label={t('cases.form.removeSeizureN', { n })}
                  onClick={() => setD((x) => ({ ...x, seizures: x.seizures.filter((_, j) => j !== i) }))}
                >
                  {t('cases.form.remove')}
                </button>
              </div>
              <div className="case-row-fields case-row-fields--seizure">
                <SelectField
                  label={t('cases.form.drug')}
                  aria-label={t('cases.form.seizureDrug', { n })}
                  value={s.drug}
                  onChange={(e) => {
                    const drug = e.target.value as Drug | '';
                    setSeizure(i, { drug, unit: defaultUnit(drug) });
                  }}
                  error={err(`${path}.drug`)}
                >
                  <option value="">{t('common.choose')}</option>
                  {DRUGS.map((x) => (
                    <option key={x} value={x}>
                      {t(`enforcement.drugs.${x}`)}
                    </option>
                  ))}
                </SelectField>
                <TextField
                  label={t('cases.form.quantity')}
                  aria-label={t('cases.form.seizureQuantity', { n })}
                  inputMode="decimal"
                  autoComplete="off"
                  value={s.quantity}
                  onChange={(e) => setSeizure(i, { quantity: e.target.value })}
                  error={err(`${path}.quantity`)}
                />
                <SelectField label={t('cases.form.unit')} aria-label={t('cases.form.seizureUnit', { n })} value={s.unit} onChange={(e) => setSeizure(i, { unit: e.target.value as SeizureDraft['unit'] })} error={err(`${path}.unit`)}>
                  {QUANTITY_UNITS.map((u) => (
                    <option key={u} value={u}>
                      {t(`enforcement.units.${u}`)}
                    </option>
                  ))}
                </SelectField>
              </div>
            </div>
          );
        })}
        <div className="form-actions">
          <button type="button" className="button" onClick={() => setD((x) => ({ ...x, seizures: [...x.seizures, emptySeizure()] }))}>
            {t('cases.form.addSeizure')}
          </button>
        </div>
      </fieldset>

      <details className="case-assets" open={assetsOpen} onToggle={(e) => setAssetsOpen((e.target as HTMLDetailsElement).open)}>
        <summary>{t('cases.form.assets')}</summary>
        <div className="case-form-grid case-form-grid--assets">
          {ASSET_FIELDS.map((k) => (
            <TextField
              key={k}
              label={t(`enforcement.assets.${k}`)}
              name={`assets.${k}`}
              inputMode={k === 'cashKhr' || k === 'cashUsd' ? 'decimal' : 'numeric'}
              autoComplete="off"
              placeholder="0"
              value={d.assets[k]}
              onChange={(e) => setD((x) => ({ ...x, assets: { ...x.assets, [k]: e.target.value } }))}
              error={err(`assets.${k}`)}
            />
          ))}
        </div>
      </details>

      <div className="form-actions case-form-actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? t('common.working') : t('cases.form.save')}
        </button>
        {onCancel && (
          <button type="button" className="button" onClick={onCancel}>
            {t('cases.form.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
