/**
 * Administrator: the treatment centre register — every centre with its kind, modality, admission policy, capacity,
 * place, status and the health organisation that runs it; a form to add one or to edit one (with the version loaded,
 * so that two administrators cannot overwrite each other). The register holds no client data.
 */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ADMISSION_POLICIES, CENTRE_KINDS, CENTRE_STATUSES, MODALITIES, createCentreBody, updateCentreBody, type CentreDto } from '../../core/treatment';
import { api } from '../api/client';
import type { GeoUnit, Organisation } from '../api/types';
import { errorMsg, type FieldErrors, type Msg } from '../i18n/messages';
import { Notice, SelectField, TextField } from '../ui/Field';
import { usePlaceName } from '../ui/places';
import { useLoad } from '../ui/useAsync';
import { treatmentApi } from './api';
import { LoadFailed, useMsg, useTreatmentFormats } from './common';
import { apiErrors, conflictAt, zodErrors } from './messages';
import { parseTypedNumber } from '../../core/enforcement';

const FIELDS = ['name', 'nameKm', 'organisationId', 'kind', 'modality', 'admissionPolicy', 'capacity', 'provinceCode', 'districtCode', 'status'] as const;

const sortCentres = (xs: CentreDto[], province: (code: string) => number) =>
  [...xs].sort((a, b) => province(a.provinceCode) - province(b.provinceCode) || a.name.localeCompare(b.name));

export function CentresPage() {
  const { t } = useTranslation();
  const f = useTreatmentFormats();
  const placeName = usePlaceName();
  const centres = useLoad(() => treatmentApi.centres());
  const provinces = useLoad(() => api.provinces());
  const organisations = useLoad(() => api.organisations());
  const [editing, setEditing] = useState<CentreDto | null>(null);
  const [formKey, setFormKey] = useState(0);
  const [done, setDone] = useState<string | null>(null);
  const [kind, setKind] = useState('');
  const [status, setStatus] = useState('');

  const provinceNumber = (code: string) => provinces.data?.find((p) => p.code === code)?.number ?? Number(code.slice(3));
  const provinceName = (code: string) => placeName(provinces.data?.find((p) => p.code === code), code);
  const shown = useMemo(() => (centres.data ?? []).filter((c) => (!kind || c.kind === kind) && (!status || c.status === status)), [centres.data, kind, status]);

  const saved = (c: CentreDto) => centres.setData((xs) => sortCentres([...(xs ?? []).filter((x) => x.id !== c.id), c], provinceNumber));

  return (
    <section className="page page--wide" aria-labelledby="page-title">
      <h1 id="page-title">{t('treatment.register.title')}</h1>
      <p className="muted">{t('treatment.register.intro')}</p>

      {done && (
        <Notice kind="success" onDismiss={() => setDone(null)} dismissLabel={t('common.dismiss')}>
          {done}
        </Notice>
      )}
      <CentreForm
        key={`${editing?.id ?? 'new'}-${formKey}`}
        centre={editing}
        organisations={organisations.data ?? []}
        provinces={provinces.data ?? []}
        onSaved={(c) => {
          saved(c);
          setDone(t(editing ? 'treatment.register.saved' : 'treatment.register.created', { name: c.name }));
          if (editing) setEditing(null);
        }}
        onStart={() => setDone(null)}
        onStale={() => void centres.reload()}
        onCancel={() => {
          setEditing(null);
          setFormKey((k) => k + 1);
        }}
      />

      <h2 id="centres-list-title">{t('treatment.register.listTitle')}</h2>
      {centres.error ? <LoadFailed error={centres.error} retry={() => void centres.reload()} /> : null}
      <div className="toolbar tr-filters">
        <SelectField label={t('treatment.register.kind')} name="filter-kind" value={kind} onChange={(e) => setKind(e.target.value)}>
          <option value="">{t('treatment.register.allKinds')}</option>
          {CENTRE_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`treatment.kinds.${k}`)}
            </option>
          ))}
        </SelectField>
        <SelectField label={t('treatment.register.status')} name="filter-status" value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">{t('treatment.register.allStatuses')}</option>
          {CENTRE_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`treatment.statuses.${s}`)}
            </option>
          ))}
        </SelectField>
      </div>
      {centres.loading && !centres.data ? (
        <p role="status">{t('app.loading')}</p>
      ) : centres.data && shown.length === 0 ? (
        <p>{t('treatment.register.none')}</p>
      ) : centres.data ? (
        <>
          <p className="muted" data-testid="centres-count">
            {t('treatment.register.count', { count: shown.length, n: f.num(shown.length) })}
          </p>
          <table className="table table--cards tr-centres" aria-labelledby="centres-list-title">
            <thead>
              <tr>
                <th scope="col">{t('treatment.register.name')}</th>
                <th scope="col">{t('treatment.register.kind')}</th>
                <th scope="col">{t('treatment.register.modality')}</th>
                <th scope="col">{t('treatment.register.admissionPolicy')}</th>
                <th scope="col" className="num">
                  {t('treatment.register.capacity')}
                </th>
                <th scope="col">{t('treatment.register.province')}</th>
                <th scope="col">{t('treatment.register.status')}</th>
                <th scope="col">{t('treatment.register.organisation')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((c) => (
                <tr key={c.id} className={editing?.id === c.id ? 'row--editing' : c.status === 'closed' ? 'row--muted' : undefined}>
                  <th scope="row" data-label={t('treatment.register.name')}>
                    <span lang="en">{c.name}</span>
                    {c.nameKm ? (
                      <>
                        <br />
                        <span lang="km" className="muted">
                          {c.nameKm}
                        </span>
                      </>
                    ) : null}
                  </th>
                  <td data-label={t('treatment.register.kind')}>{t(`treatment.kinds.${c.kind}`)}</td>
                  <td data-label={t('treatment.register.modality')}>{t(`treatment.modalities.${c.modality}`)}</td>
                  <td data-label={t('treatment.register.admissionPolicy')}>{t(`treatment.policies.${c.admissionPolicy}`)}</td>
                  <td data-label={t('treatment.register.capacity')} className="num">
                    {f.num(c.capacity)}
                  </td>
                  <td data-label={t('treatment.register.province')}>{provinceName(c.provinceCode)}</td>
                  <td data-label={t('treatment.register.status')}>
                    <span className={`badge tr-status tr-status--${c.status}`}>{t(`treatment.statuses.${c.status}`)}</span>
                  </td>
                  <td data-label={t('treatment.register.organisation')}>{c.organisationName}</td>
                  <td data-label={t('common.actions')}>
                    <button
                      type="button"
                      className="button button--small"
                      aria-label={t('treatment.register.editLabel', { name: c.name })}
                      onClick={() => {
                        setEditing(c);
                        document.getElementById('centre-form-title')?.scrollIntoView?.({ block: 'start' });
                      }}
                    >
                      {t('treatment.register.edit')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}

interface FormProps {
  centre: CentreDto | null;
  organisations: Organisation[];
  provinces: { code: string; nameEn: string; nameKm: string }[];
  onSaved: (c: CentreDto) => void;
  onStart: () => void;
  onStale: () => void;
  onCancel: () => void;
}

function CentreForm({ centre, organisations, provinces, onSaved, onStart, onStale, onCancel }: FormProps) {
  const { t } = useTranslation();
  const msg = useMsg();
  const placeName = usePlaceName();
  const [name, setName] = useState(centre?.name ?? '');
  const [nameKm, setNameKm] = useState(centre?.nameKm ?? '');
  const [organisationId, setOrganisationId] = useState(centre?.organisationId ?? '');
  const [kind, setKind] = useState<string>(centre?.kind ?? '');
  const [modality, setModality] = useState<string>(centre?.modality ?? '');
  const [policy, setPolicy] = useState<string>(centre?.admissionPolicy ?? '');
  const [capacity, setCapacity] = useState(centre ? String(centre.capacity) : '');
  const [province, setProvince] = useState(centre?.provinceCode ?? '');
  const [district, setDistrict] = useState(centre?.districtCode ?? '');
  const [status, setStatus] = useState<string>(centre?.status ?? 'open');
  const [districts, setDistricts] = useState<GeoUnit[] | null>(null);
  const [fields, setFields] = useState<FieldErrors>({});
  const [error, setError] = useState<Msg[]>([]);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setDistricts(null);
    if (!province) return;
    let alive = true;
    api.districts(province).then(
      (d) => alive && setDistricts(d),
      () => alive && setDistricts([]),
    );
    return () => {
      alive = false;
    };
  }, [province]);

  const health = organisations.filter((o) => o.sector === 'health' && (o.status === 'active' || o.id === centre?.organisationId));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError([]);
    onStart();
    const cap = parseTypedNumber(capacity);
    const common = {
      name,
      nameKm: nameKm.trim() ? nameKm : centre ? null : undefined,
      kind,
      modality,
      admissionPolicy: policy,
      capacity: cap ?? (capacity.trim() ? capacity : undefined),
      provinceCode: province,
      districtCode: district || (centre ? null : undefined),
      status,
    };
    const body: Record<string, unknown> = centre ? { version: centre.version, ...common } : { organisationId, ...common };
    for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
    const parsed = centre ? updateCentreBody.safeParse(body) : createCentreBody.safeParse(body);
    if (!parsed.success) {
      setFields(zodErrors(parsed.error, { ...body, organisationId, capacity: capacity.trim() }));
      setError([{ key: 'common.formHasErrors' }]);
      return;
    }
    setFields({});
    setBusy(true);
    try {
      const c = centre ? await treatmentApi.updateCentre(centre.id, parsed.data) : await treatmentApi.createCentre(parsed.data);
      onSaved(c);
      if (!centre) {
        setName('');
        setNameKm('');
        setCapacity('');
        setDistrict('');
      }
    } catch (err) {
      if (conflictAt(err, 'version')) {
        setError([{ key: 'treatment.register.stale' }]);
        onStale();
        return;
      }
      const r = apiErrors(err, FIELDS);
      setFields(r.fields);
      setError(Object.keys(r.fields).length ? [{ key: 'common.formHasErrors' }, ...r.other] : r.other.length ? r.other : [errorMsg(err)]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card form-grid" onSubmit={submit} noValidate aria-labelledby="centre-form-title" data-testid="centre-form">
      <h2 id="centre-form-title" className="form-title">
        {centre ? t('treatment.register.editTitle', { name: centre.name }) : t('treatment.register.createTitle')}
      </h2>
      {error.length > 0 && <Notice kind="error">{error.map((m) => msg(m)).join(' ')}</Notice>}
      <TextField label={t('treatment.register.name')} name="name" lang="en" value={name} onChange={(e) => setName(e.target.value)} error={msg(fields.name)} maxLength={200} autoComplete="off" />
      <TextField
        label={t('treatment.register.nameKm')}
        optional={t('common.optional')}
        name="nameKm"
        lang="km"
        value={nameKm}
        onChange={(e) => setNameKm(e.target.value)}
        error={msg(fields.nameKm)}
        hint={t('treatment.register.nameKmHint')}
        maxLength={200}
        autoComplete="off"
      />
      <SelectField
        label={t('treatment.register.organisation')}
        name="organisationId"
        value={organisationId}
        disabled={centre !== null}
        onChange={(e) => setOrganisationId(e.target.value)}
        error={msg(fields.organisationId)}
        hint={centre ? t('treatment.register.organisationFixed') : health.length === 0 ? t('treatment.register.noHealthOrganisation') : t('treatment.register.organisationHint')}
      >
        <option value="">{t('common.choose')}</option>
        {health.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </SelectField>
      <SelectField label={t('treatment.register.kind')} name="kind" value={kind} onChange={(e) => setKind(e.target.value)} error={msg(fields.kind)}>
        <option value="">{t('common.choose')}</option>
        {CENTRE_KINDS.map((k) => (
          <option key={k} value={k}>
            {t(`treatment.kinds.${k}`)}
          </option>
        ))}
      </SelectField>
      <SelectField label={t('treatment.register.modality')} name="modality" value={modality} onChange={(e) => setModality(e.target.value)} error={msg(fields.modality)}>
        <option value="">{t('common.choose')}</option>
        {MODALITIES.map((m) => (
          <option key={m} value={m}>
            {t(`treatment.modalities.${m}`)}
          </option>
        ))}
      </SelectField>
      <SelectField
        label={t('treatment.register.admissionPolicy')}
        name="admissionPolicy"
        value={policy}
        onChange={(e) => setPolicy(e.target.value)}
        error={msg(fields.admissionPolicy)}
      >
        <option value="">{t('common.choose')}</option>
        {ADMISSION_POLICIES.map((p) => (
          <option key={p} value={p}>
            {t(`treatment.policies.${p}`)}
          </option>
        ))}
      </SelectField>
      <TextField
        label={t('treatment.register.capacity')}
        name="capacity"
        inputMode="numeric"
        value={capacity}
        onChange={(e) => setCapacity(e.target.value)}
        error={msg(fields.capacity)}
        hint={t('treatment.register.capacityHint')}
        autoComplete="off"
      />
      <SelectField
        label={t('treatment.register.province')}
        name="provinceCode"
        value={province}
        onChange={(e) => {
          setProvince(e.target.value);
          setDistrict('');
        }}
        error={msg(fields.provinceCode)}
      >
        <option value="">{t('common.choose')}</option>
        {provinces.map((p) => (
          <option key={p.code} value={p.code}>
            {placeName(p)}
          </option>
        ))}
      </SelectField>
      <SelectField
        label={t('treatment.register.district')}
        optional={t('common.optional')}
        name="districtCode"
        value={district}
        disabled={!province || !districts || districts.length === 0}
        onChange={(e) => setDistrict(e.target.value)}
        error={msg(fields.districtCode)}
        hint={province && districts && districts.length === 0 ? t('treatment.register.noDistricts') : undefined}
      >
        <option value="">{province ? t('common.none') : t('treatment.register.chooseProvinceFirst')}</option>
        {districts?.map((d) => (
          <option key={d.code} value={d.code}>
            {placeName(d)}
          </option>
        ))}
      </SelectField>
      <SelectField
        label={t('treatment.register.status')}
        name="status"
        value={status}
        onChange={(e) => setStatus(e.target.value)}
        error={msg(fields.status)}
        hint={t('treatment.register.statusHint')}
      >
        {CENTRE_STATUSES.map((s) => (
          <option key={s} value={s}>
            {t(`treatment.statuses.${s}`)}
          </option>
        ))}
      </SelectField>
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? t('common.working') : centre ? t('treatment.register.save') : t('treatment.register.create')}
        </button>
        {centre && (
          <button type="button" className="button" onClick={onCancel}>
            {t('treatment.register.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
