/** Administrator: organisations list, create form (sector → kind, province → district → commune), close / reopen. */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { KINDS_BY_SECTOR, SECTORS, type OrgKind, type Sector } from '../../../core/roles';
import { createOrganisationBody } from '../../../core/schemas';
import { api } from '../../api/client';
import type { GeoUnit, Organisation } from '../../api/types';
import { apiFieldErrors, errorMsg, fieldsText, show, zodFieldErrors, type FieldErrors, type Msg } from '../../i18n/messages';
import { Notice, SelectField, TextField } from '../../ui/Field';
import { useLoad } from '../../ui/useAsync';
import { usePlaceName } from '../../ui/places';

export function OrganisationsPage() {
  const { t } = useTranslation();
  const placeName = usePlaceName();
  const orgs = useLoad(() => api.organisations());
  const provinces = useLoad(() => api.provinces());
  const [rowError, setRowError] = useState<unknown>(null);
  const [busyId, setBusyId] = useState<string | null>(null);

  const provinceOf = (code: string) => provinces.data?.find((p) => p.code === code);

  const toggle = async (o: Organisation) => {
    setRowError(null);
    setBusyId(o.id);
    try {
      const updated = await api.updateOrganisation(o.id, { status: o.status === 'active' ? 'closed' : 'active' });
      orgs.setData((list) => list?.map((x) => (x.id === updated.id ? updated : x)));
    } catch (e) {
      setRowError(e);
    } finally {
      setBusyId(null);
    }
  };

  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{t('organisations.title')}</h1>
      <p className="muted">{t('organisations.intro')}</p>

      <CreateOrganisation existing={orgs.data ?? []} onCreated={(o) => orgs.setData((list) => [...(list ?? []), o].sort((a, b) => a.name.localeCompare(b.name)))} />

      <h2>{t('organisations.listTitle')}</h2>
      {orgs.error ? (
        <Notice kind="error">
          {show(t, errorMsg(orgs.error))}{' '}
          <button type="button" className="button button--quiet" onClick={() => void orgs.reload()}>
            {t('common.retry')}
          </button>
        </Notice>
      ) : null}
      {rowError ? (
        <Notice kind="error" onDismiss={() => setRowError(null)} dismissLabel={t('common.dismiss')}>
          {show(t, errorMsg(rowError))} {fieldsText(t, rowError)}
        </Notice>
      ) : null}
      {orgs.loading && !orgs.data ? (
        <p role="status">{t('app.loading')}</p>
      ) : orgs.data && orgs.data.length === 0 ? (
        <p>{t('common.empty')}</p>
      ) : orgs.data ? (
        <>
          <p className="muted">{t('organisations.count', { count: orgs.data.length })}</p>
          <table className="table table--cards">
            <caption className="visually-hidden">{t('organisations.listTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('organisations.name')}</th>
                <th scope="col">{t('organisations.sector')}</th>
                <th scope="col">{t('organisations.kind')}</th>
                <th scope="col">{t('organisations.province')}</th>
                <th scope="col">{t('organisations.status')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {orgs.data.map((o) => (
                <tr key={o.id} className={o.status === 'closed' ? 'row--muted' : undefined}>
                  <th scope="row" data-label={t('organisations.name')}>
                    {o.name}
                  </th>
                  <td data-label={t('organisations.sector')}>{t(`sectors.${o.sector}`)}</td>
                  <td data-label={t('organisations.kind')}>{t(`kinds.${o.kind}`)}</td>
                  <td data-label={t('organisations.province')}>{placeName(provinceOf(o.provinceCode), o.provinceCode)}</td>
                  <td data-label={t('organisations.status')}>
                    <span className={`badge badge--${o.status}`}>{t(`organisations.${o.status}`)}</span>
                  </td>
                  <td data-label={t('common.actions')}>
                    <button
                      type="button"
                      className="button button--small"
                      disabled={busyId === o.id}
                      aria-label={t(o.status === 'active' ? 'organisations.closeLabel' : 'organisations.reopenLabel', { name: o.name })}
                      onClick={() => void toggle(o)}
                    >
                      {t(o.status === 'active' ? 'organisations.close' : 'organisations.reopen')}
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

function CreateOrganisation({ existing, onCreated }: { existing: Organisation[]; onCreated: (o: Organisation) => void }) {
  const [parent, setParent] = useState('');
  const { t } = useTranslation();
  const placeName = usePlaceName();
  const provinces = useLoad(() => api.provinces());
  const [name, setName] = useState('');
  const [sector, setSector] = useState<Sector | ''>('');
  const [kind, setKind] = useState<OrgKind | ''>('');
  const [province, setProvince] = useState('');
  const [district, setDistrict] = useState('');
  const [commune, setCommune] = useState('');
  const [districts, setDistricts] = useState<GeoUnit[] | null>(null);
  const [communes, setCommunes] = useState<GeoUnit[] | null>(null);
  const [fields, setFields] = useState<FieldErrors>({});
  const [error, setError] = useState<Msg | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const kinds = sector ? KINDS_BY_SECTOR[sector] : [];

  useEffect(() => {
    setDistrict('');
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

  useEffect(() => {
    setCommune('');
    setCommunes(null);
    if (!district) return;
    let alive = true;
    api.communes(district).then(
      (c) => alive && setCommunes(c),
      () => alive && setCommunes([]),
    );
    return () => {
      alive = false;
    };
  }, [district]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setCreated(null);
    const body = {
      name,
      sector,
      kind,
      provinceCode: province,
      ...(district ? { districtCode: district } : {}),
      ...(commune ? { communeCode: commune } : {}),
      ...(parent ? { parentId: parent } : {}),
    };
    const parsed = createOrganisationBody.safeParse(body);
    if (!parsed.success) {
      setFields(zodFieldErrors(parsed.error));
      setError({ key: 'common.formHasErrors' });
      return;
    }
    setFields({});
    setBusy(true);
    try {
      const o = await api.createOrganisation(parsed.data);
      onCreated(o);
      setCreated(o.name);
      setName('');
      setSector('');
      setKind('');
      setProvince('');
      setParent('');
    } catch (err) {
      const f = apiFieldErrors(err, ['name', 'sector', 'kind', 'parentId', 'provinceCode', 'districtCode', 'communeCode']);
      setFields(f);
      setError(Object.keys(f).length ? { key: 'common.formHasErrors' } : errorMsg(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card form-grid" onSubmit={submit} noValidate aria-labelledby="org-create-title">
      <h2 id="org-create-title" className="form-title">
        {t('organisations.createTitle')}
      </h2>
      {created && (
        <Notice kind="success" onDismiss={() => setCreated(null)} dismissLabel={t('common.dismiss')}>
          {t('organisations.created', { name: created })}
        </Notice>
      )}
      {error && <Notice kind="error">{show(t, error)}</Notice>}
      <TextField label={t('organisations.name')} name="name" value={name} onChange={(e) => setName(e.target.value)} error={show(t, fields.name)} maxLength={200} />
      <SelectField
        label={t('organisations.sector')}
        name="sector"
        value={sector}
        onChange={(e) => {
          const s = e.target.value as Sector | '';
          setSector(s);
          // One kind only (police unit, national committee, education office): choose it.
          setKind(s && KINDS_BY_SECTOR[s].length === 1 ? KINDS_BY_SECTOR[s][0] : '');
          setParent('');
        }}
        error={show(t, fields.sector)}
      >
        <option value="">{t('common.choose')}</option>
        {SECTORS.map((s) => (
          <option key={s} value={s}>
            {t(`sectors.${s}`)}
          </option>
        ))}
      </SelectField>
      <SelectField
        label={t('organisations.kind')}
        name="kind"
        value={kind}
        disabled={!sector}
        onChange={(e) => setKind(e.target.value as OrgKind | '')}
        error={show(t, fields.kind)}
      >
        <option value="">{sector ? t('common.choose') : t('organisations.chooseSectorFirst')}</option>
        {kinds.map((k) => (
          <option key={k} value={k}>
            {t(`kinds.${k}`)}
          </option>
        ))}
      </SelectField>
      <SelectField
        label={t('organisations.parent')}
        optional={t('common.optional')}
        name="parentId"
        value={parent}
        disabled={!sector}
        onChange={(e) => setParent(e.target.value)}
        error={show(t, fields.parentId)}
        hint={t('organisations.parentHint')}
      >
        <option value="">{sector ? t('common.none') : t('organisations.chooseSectorFirst')}</option>
        {existing
          .filter((o) => o.sector === sector && o.status === 'active')
          .map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
      </SelectField>
      <SelectField
        label={t('organisations.province')}
        name="provinceCode"
        value={province}
        onChange={(e) => setProvince(e.target.value)}
        error={show(t, fields.provinceCode)}
      >
        <option value="">{t('common.choose')}</option>
        {provinces.data?.map((p) => (
          <option key={p.code} value={p.code}>
            {placeName(p)}
          </option>
        ))}
      </SelectField>
      <SelectField
        label={t('organisations.district')}
        optional={t('common.optional')}
        name="districtCode"
        value={district}
        disabled={!province || !districts || districts.length === 0}
        onChange={(e) => setDistrict(e.target.value)}
        error={show(t, fields.districtCode)}
        hint={province && districts && districts.length === 0 ? t('organisations.noDistricts') : undefined}
      >
        <option value="">{province ? t('common.none') : t('organisations.chooseProvinceFirst')}</option>
        {districts?.map((d) => (
          <option key={d.code} value={d.code}>
            {placeName(d)}
          </option>
        ))}
      </SelectField>
      <SelectField
        label={t('organisations.commune')}
        optional={t('common.optional')}
        name="communeCode"
        value={commune}
        disabled={!district || !communes || communes.length === 0}
        onChange={(e) => setCommune(e.target.value)}
        error={show(t, fields.communeCode)}
        hint={district && communes && communes.length === 0 ? t('organisations.noCommunes') : undefined}
      >
        <option value="">{district ? t('common.none') : t('organisations.chooseDistrictFirst')}</option>
        {communes?.map((c) => (
          <option key={c.code} value={c.code}>
            {placeName(c)}
          </option>
        ))}
      </SelectField>
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? t('common.working') : t('organisations.create')}
        </button>
      </div>
    </form>
  );
}
