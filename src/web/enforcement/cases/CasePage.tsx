/**
 * /cases/:id — one case: its fields, a disposition update per person, "Correct this case" (the same form,
 * PUT with the version loaded), "Void this case" with a reason and an inline confirmation, and the history.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ASSET_FIELDS, DISPOSITIONS, type Disposition } from '../../../core/enforcement';
import { api, ApiError } from '../../api/client';
import type { GeoUnit } from '../../api/types';
import { errorMsg, show, type Msg } from '../../i18n/messages';
import { Link, useParams } from '../../shell/router';
import { Notice } from '../../ui/Field';
import { useLoad } from '../../ui/useAsync';
import { usePlaceName } from '../../ui/places';
import { casesApi, VOID_REASONS, type CaseDto, type HistoryItem, type VoidReason } from './api';
import { CaseForm } from './CaseForm';
import { wasJustSaved } from './flash';
import { useFormat } from './format';
import { draftOf, nationalityName } from './form';

export function CasePage() {
  const { id = '' } = useParams('/cases/:id');
  const { t } = useTranslation();
  const c = useLoad(() => casesApi.get(id), [id]);
  const history = useLoad(() => casesApi.history(id), [id]);
  const [saved, setSaved] = useState(() => wasJustSaved(id));
  const [editing, setEditing] = useState(false);

  const replace = (dto: CaseDto, notice: boolean) => {
    c.setData(dto);
    setSaved(notice);
    void history.reload();
  };

  if (c.loading && !c.data) return <p role="status">{t('app.loading')}</p>;
  if (c.error || !c.data)
    return (
      <section className="page" aria-labelledby="page-title">
        <h1 id="page-title">{t('cases.nav.case')}</h1>
        <Notice kind="error">{show(t, errorMsg(c.error))}</Notice>
        <p>
          <Link href="/cases">{t('cases.case.backToList')}</Link>
        </p>
      </section>
    );
  const k = c.data;

  return (
    <section className="page page--case" aria-labelledby="page-title">
      <p className="breadcrumb">
        <Link href="/cases">{t('cases.nav.list')}</Link>
      </p>
      <h1 id="page-title">
        {t('cases.case.title', { ref: k.unitReference })} {k.voided && <span className="badge badge--voided">{t('cases.case.voidedBadge')}</span>}
      </h1>
      {saved && (
        <Notice kind="success" onDismiss={() => setSaved(false)} dismissLabel={t('common.dismiss')}>
          {t('cases.case.saved')}
        </Notice>
      )}
      {k.voided && (
        <Notice kind="info">
          {t('cases.case.voidedNotice', { reason: t(`enforcement.voidReasons.${k.voidReason ?? 'other'}`), at: k.voidedAt ? k.voidedAt.slice(0, 10) : '' })}
        </Notice>
      )}

      {editing && !k.voided ? (
        <>
          <h2>{t('cases.form.correctTitle')}</h2>
          <CaseForm
            key={k.version}
            mode="correct"
            initial={draftOf(k)}
            onCancel={() => setEditing(false)}
            onStale={() => {
              setEditing(false);
              void c.reload();
              void history.reload();
            }}
            onSubmit={async (body) => {
              const dto = await casesApi.update(k.id, { ...body, version: k.version });
              setEditing(false);
              replace(dto, true);
              window.scrollTo?.(0, 0);
            }}
          />
        </>
      ) : (
        <>
          <CaseFacts c={k} />
          {!k.voided && (
            <div className="form-actions case-actions">
              <button type="button" className="button button--primary" onClick={() => setEditing(true)}>
                {t('cases.case.correct')}
              </button>
            </div>
          )}
          <Persons c={k} onChanged={(dto) => replace(dto, false)} onStale={() => void c.reload()} />
          <Seizures c={k} />
          <AssetsView c={k} />
          {!k.voided && <VoidCase c={k} onVoided={(dto) => replace(dto, false)} />}
        </>
      )}
      <History items={history.data} error={history.error} c={k} />
    </section>
  );
}

function usePlaces(c: CaseDto) {
  const placeName = usePlaceName();
  const provinces = useLoad(() => api.provinces());
  const [districts, setDistricts] = useState<GeoUnit[]>([]);
  const [communes, setCommunes] = useState<GeoUnit[]>([]);
  useEffect(() => {
    let alive = true;
    if (c.districtCode) api.districts(c.provinceCode).then((d) => alive && setDistricts(d), () => undefined);
    if (c.communeCode && c.districtCode) api.communes(c.districtCode).then((x) => alive && setCommunes(x), () => undefined);
    return () => {
      alive = false;
    };
  }, [c.provinceCode, c.districtCode, c.communeCode]);
  return {
    province: (code: string) => placeName(provinces.data?.find((p) => p.code === code), code),
    district: (code: string | null | undefined) => (code ? placeName(districts.find((d) => d.code === code), code) : ''),
    commune: (code: string | null | undefined) => (code ? placeName(communes.find((d) => d.code === code), code) : ''),
  };
}

function CaseFacts({ c }: { c: CaseDto }) {
  const { t } = useTranslation();
  const places = usePlaces(c);
  const place = [places.commune(c.communeCode), places.district(c.districtCode), places.province(c.provinceCode)].filter(Boolean).join(', ');
  return (
    <dl className="facts card case-facts">
      <div>
        <dt>{t('cases.fields.unitReference')}</dt>
        <dd>{c.unitReference}</dd>
      </div>
      <div>
        <dt>{t('cases.fields.unit')}</dt>
        <dd>{c.organisationName}</dd>
      </div>
      <div>
        <dt>{t('cases.fields.occurredOn')}</dt>
        <dd>{c.occurredOn}</dd>
      </div>
      <div>
        <dt>{t('cases.fields.reportedOn')}</dt>
        <dd>{c.reportedOn}</dd>
      </div>
      <div>
        <dt>{t('cases.fields.place')}</dt>
        <dd>{place}</dd>
      </div>
      <div>
        <dt>{t('cases.fields.caseType')}</dt>
        <dd>{t(`enforcement.caseTypes.${c.caseType}`)}</dd>
      </div>
    </dl>
  );
}

function Persons({ c, onChanged, onStale }: { c: CaseDto; onChanged: (dto: CaseDto) => void; onStale: () => void }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language === 'km' ? 'km' : 'en';
  const [chosen, setChosen] = useState<Record<string, Disposition>>({});
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<Msg | null>(null);
  const [done, setDone] = useState<number | null>(null);

  const update = async (personId: string, n: number) => {
    const disposition = chosen[personId];
    if (!disposition) return;
    setBusy(personId);
    setError(null);
    setDone(null);
    try {
      const dto = await casesApi.setDisposition(c.id, personId, disposition);
      setChosen((x) => {
        const { [personId]: _, ...rest } = x;
        return rest;
      });
      setDone(n);
      onChanged(dto);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'voided') {
        setError({ key: 'cases.errors.voided' });
        onStale();
      } else setError(errorMsg(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      <h2>{t('cases.form.persons', { count: c.persons.length })}</h2>
      {error && <Notice kind="error">{show(t, error)}</Notice>}
      {done !== null && (
        <Notice kind="success" onDismiss={() => setDone(null)} dismissLabel={t('common.dismiss')}>
          {t('cases.case.dispositionUpdated', { n: done })}
        </Notice>
      )}
      {c.persons.length === 0 ? (
        <p className="muted">{t('cases.case.noPersons')}</p>
      ) : (
        <table className="table table--cards">
          <caption className="visually-hidden">{t('cases.form.persons', { count: c.persons.length })}</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t('cases.form.role')}</th>
              <th scope="col">{t('cases.form.sex')}</th>
              <th scope="col">{t('cases.form.ageBand')}</th>
              <th scope="col">{t('cases.form.nationality')}</th>
              <th scope="col">{t('cases.form.disposition')}</th>
            </tr>
          </thead>
          <tbody>
            {c.persons.map((p, i) => {
              const n = i + 1;
              const value = chosen[p.id] ?? p.disposition;
              return (
                <tr key={p.id}>
                  <th scope="row">{t('cases.form.personN', { n })}</th>
                  <td data-label={t('cases.form.role')}>{t(`enforcement.personRoles.${p.role}`)}</td>
                  <td data-label={t('cases.form.sex')}>{t(`enforcement.sexes.${p.sex}`)}</td>
                  <td data-label={t('cases.form.ageBand')}>{t(`enforcement.ageBands.${p.ageBand}`)}</td>
                  <td data-label={t('cases.form.nationality')}>{nationalityName(p.nationality, locale, (c) => t(`cases.countries.${c}`))}</td>
                  <td data-label={t('cases.form.disposition')}>
                    {c.voided ? (
                      t(`enforcement.dispositions.${p.disposition}`)
                    ) : (
                      <div className="disposition-edit">
                        <select
                          aria-label={t('cases.form.personDisposition', { n })}
                          value={value}
                          onChange={(e) => setChosen((x) => ({ ...x, [p.id]: e.target.value as Disposition }))}
                        >
                          {DISPOSITIONS.map((d) => (
                            <option key={d} value={d}>
                              {t(`enforcement.dispositions.${d}`)}
                            </option>
                          ))}
                        </select>
                        <button
                          type="button"
                          className="button button--small"
                          aria-label={t('cases.case.updatePersonN', { n })}
                          disabled={busy === p.id || value === p.disposition}
                          onClick={() => void update(p.id, n)}
                        >
                          {t('cases.case.update')}
                        </button>
                      </div>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}

function Seizures({ c }: { c: CaseDto }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <>
      <h2>{t('cases.form.seizures', { count: c.seizures.length })}</h2>
      {c.seizures.length === 0 ? (
        <p className="muted">{t('cases.case.noSeizures')}</p>
      ) : (
        <ul className="case-list">
          {c.seizures.map((s, i) => (
            <li key={i}>
              <strong>{t(`enforcement.drugs.${s.drug}`)}</strong>: {fmt.number(s.quantity)} {t(`enforcement.units.${s.unit}`)}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function AssetsView({ c }: { c: CaseDto }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const any = ASSET_FIELDS.some((k) => c.assets[k]);
  return (
    <>
      <h2>{t('cases.form.assetsTitle')}</h2>
      {!any ? (
        <p className="muted">{t('cases.case.noAssets')}</p>
      ) : (
        <dl className="facts card">
          {ASSET_FIELDS.filter((k) => c.assets[k]).map((k) => (
            <div key={k}>
              <dt>{t(`enforcement.assets.${k}`)}</dt>
              <dd>{fmt.number(c.assets[k])}</dd>
            </div>
          ))}
        </dl>
      )}
    </>
  );
}

function VoidCase({ c, onVoided }: { c: CaseDto; onVoided: (dto: CaseDto) => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState<VoidReason | ''>('');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Msg | null>(null);

  const confirm = async () => {
    if (!reason) return;
    setBusy(true);
    setError(null);
    try {
      onVoided(await casesApi.void(c.id, reason));
    } catch (e) {
      setError(e instanceof ApiError && e.code === 'voided' ? { key: 'cases.errors.voided' } : errorMsg(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card case-void" aria-labelledby="void-title">
      <h2 id="void-title" className="form-title">
        {t('cases.void.title')}
      </h2>
      <p className="muted">{t('cases.void.intro')}</p>
      {error && <Notice kind="error">{show(t, error)}</Notice>}
      <div className="field">
        <label htmlFor="void-reason">{t('cases.void.reason')}</label>
        <select
          id="void-reason"
          value={reason}
          disabled={confirming}
          onChange={(e) => setReason(e.target.value as VoidReason | '')}
        >
          <option value="">{t('common.choose')}</option>
          {VOID_REASONS.map((r) => (
            <option key={r} value={r}>
              {t(`enforcement.voidReasons.${r}`)}
            </option>
          ))}
        </select>
      </div>
      {!confirming ? (
        <button type="button" className="button button--danger" disabled={!reason} onClick={() => setConfirming(true)}>
          {t('cases.void.void')}
        </button>
      ) : (
        <div className="notice notice--error" role="alert">
          <div className="notice-body">
            <p>{t('cases.void.confirmText', { ref: c.unitReference })}</p>
            <div className="form-actions">
              <button type="button" className="button button--danger" disabled={busy} onClick={() => void confirm()}>
                {busy ? t('common.working') : t('cases.void.confirm')}
              </button>
              <button type="button" className="button" disabled={busy} onClick={() => setConfirming(false)}>
                {t('cases.form.cancel')}
              </button>
            </div>
          </div>
        </div>
      )}
    </section>
  );
}

const PERSON_FIELDS = ['role', 'sex', 'ageBand', 'nationality', 'disposition'] as const;
const SCALARS = ['unitReference', 'occurredOn', 'reportedOn', 'provinceCode', 'districtCode', 'communeCode', 'caseType'] as const;

/** The changes of one history entry, as short lines "field: before → after". */
export function changesOf(item: HistoryItem, personIndex: (id: string) => number): { field: string; n?: number; before?: string; after?: string; kind: string }[] {
  const d = item.details ?? {};
  const out: { field: string; n?: number; before?: string; after?: string; kind: string }[] = [];
  if (item.action === 'case.disposition') {
    const b = (d.before as { disposition?: string } | undefined)?.disposition;
    const a = (d.after as { disposition?: string } | undefined)?.disposition;
    out.push({ kind: 'disposition', field: 'disposition', n: d.personId ? personIndex(d.personId) + 1 : undefined, before: b, after: a });
  } else if (item.action === 'case.update' && d.before && d.after) {
    const b = d.before as Record<string, unknown>;
    const a = d.after as Record<string, unknown>;
    for (const f of SCALARS) if ((b[f] ?? null) !== (a[f] ?? null)) out.push({ kind: 'scalar', field: f, before: String(b[f] ?? ''), after: String(a[f] ?? '') });
    const bp = (b.persons as Record<string, string>[] | undefined) ?? [];
    const ap = (a.persons as Record<string, string>[] | undefined) ?? [];
    if (bp.length !== ap.length) out.push({ kind: 'count', field: 'persons', before: String(bp.length), after: String(ap.length) });
    for (let i = 0; i < Math.min(bp.length, ap.length); i++)
      for (const f of PERSON_FIELDS) if (bp[i][f] !== ap[i][f]) out.push({ kind: `person.${f}`, field: f, n: i + 1, before: bp[i][f], after: ap[i][f] });
    const bs = (b.seizures as Record<string, unknown>[] | undefined) ?? [];
    const as = (a.seizures as Record<string, unknown>[] | undefined) ?? [];
    if (bs.length !== as.length) out.push({ kind: 'count', field: 'seizures', before: String(bs.length), after: String(as.length) });
    for (let i = 0; i < Math.min(bs.length, as.length); i++)
      if (JSON.stringify(bs[i]) !== JSON.stringify(as[i])) out.push({ kind: 'seizure', field: 'seizure', n: i + 1, before: JSON.stringify(bs[i]), after: JSON.stringify(as[i]) });
    const ba = (b.assets as Record<string, number> | undefined) ?? {};
    const aa = (a.assets as Record<string, number> | undefined) ?? {};
    for (const f of ASSET_FIELDS) if ((ba[f] ?? 0) !== (aa[f] ?? 0)) out.push({ kind: 'asset', field: f, before: String(ba[f] ?? 0), after: String(aa[f] ?? 0) });
  } else if (item.action === 'case.void') {
    out.push({ kind: 'void', field: 'reason', after: d.reason });
  }
  return out;
}

function History({ items, error, c }: { items: HistoryItem[] | undefined; error: unknown; c: CaseDto }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language === 'km' ? 'km' : 'en';
  const fmt = useFormat();
  const value = (kind: string, field: string, v: string | undefined) => {
    if (v === undefined || v === '') return '—';
    if (kind === 'disposition' || kind === 'person.disposition') return t(`enforcement.dispositions.${v}`);
    if (kind === 'person.role') return t(`enforcement.personRoles.${v}`);
    if (kind === 'person.sex') return t(`enforcement.sexes.${v}`);
    if (kind === 'person.ageBand') return t(`enforcement.ageBands.${v}`);
    if (kind === 'person.nationality') return nationalityName(v, locale, (c) => t(`cases.countries.${c}`));
    if (kind === 'seizure') {
      const z = JSON.parse(v) as { drug: string; quantity: number; unit: string };
      return `${t(`enforcement.drugs.${z.drug}`)} ${fmt.number(z.quantity)} ${t(`enforcement.units.${z.unit}`)}`;
    }
    if (kind === 'void') return t(`enforcement.voidReasons.${v}`);
    if (field === 'caseType') return t(`enforcement.caseTypes.${v}`);
    if (kind === 'asset' || kind === 'count') return fmt.number(Number(v));
    return v;
  };
  const fieldLabel = (kind: string, field: string, n?: number) => {
    if (kind === 'disposition') return n ? t('cases.history.personDisposition', { n }) : t('cases.form.disposition');
    if (kind.startsWith('person.')) return t(`cases.form.person${field[0].toUpperCase()}${field.slice(1)}`, { n });
    if (kind === 'seizure') return t('cases.form.seizureN', { n });
    if (kind === 'void') return t('cases.void.reason');
    if (kind === 'asset') return t(`enforcement.assets.${field}`);
    return t(`cases.fields.${field}`);
  };
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">{t('cases.history.title')}</h2>
      {error ? <Notice kind="error">{show(t, errorMsg(error))}</Notice> : null}
      {!items ? (
        !error && <p role="status">{t('app.loading')}</p>
      ) : (
        <ol className="case-history">
          {[...items].reverse().map((h) => {
            const changes = changesOf(h, (id) => c.persons.findIndex((p) => p.id === id));
            return (
              <li key={h.seq}>
                <div className="case-history-head">
                  <strong>{t(`cases.history.actions.${h.action.replace('case.', '')}`, { defaultValue: h.action })}</strong>{' '}
                  <span className="muted">{t('cases.history.byAt', { user: h.username ?? '—', at: fmt.time(h.at) })}</span>
                </div>
                {changes.length > 0 && (
                  <ul className="case-history-changes">
                    {changes.map((ch, i) => (
                      <li key={i}>
                        {fieldLabel(ch.kind, ch.field, ch.n)}:{' '}
                        {ch.kind === 'void' ? (
                          value(ch.kind, ch.field, ch.after)
                        ) : (
                          <>
                            <del>{value(ch.kind, ch.field, ch.before)}</del> → <ins>{value(ch.kind, ch.field, ch.after)}</ins>
                          </>
                        )}
                      </li>
                    ))}
                  </ul>
                )}
                {h.action === 'case.update' && changes.length === 0 && <p className="muted small">{t('cases.history.noChange')}</p>}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
