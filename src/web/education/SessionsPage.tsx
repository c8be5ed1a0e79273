/**
 * The education officer's page: record a session (date, place, setting, topic, participants by sex and age band —
 * numbers only, Khmer or Latin digits, with a live total) and the organisation's sessions, newest first. The form is
 * checked with the server's own schema before it is sent; the server's field errors are shown at the field.
 */
import { Fragment, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { todayInCambodia } from '../../core/dates';
import { PARTICIPANT_AGE_BANDS, PARTICIPANT_SEXES, SESSION_SETTINGS, SESSION_TOPICS, voidSessionInput, type SessionSetting, type SessionTopic } from '../../core/education';
import { VOID_REASONS, type VoidReason } from '../../core/treatment';
import { PROVINCES } from '../../core/geography';
import { api, ApiError, request } from '../api/client';
import type { GeoUnit, Organisation } from '../api/types';
import { useFormats } from '../enforcement/report/format';
import { errorMsg, show, type Msg } from '../i18n/messages';
import { useSession } from '../shell/session';
import { Notice, SelectField, TextField } from '../ui/Field';
import { usePlaceName } from '../ui/places';
import { useLoad } from '../ui/useAsync';
import { educationApi, type SessionDto } from './api';
import { apiPathErrors, cellKey, educationMessage, draftTotal, emptyCells, isFormPath, newDraft, validate, type CellKey, type PathErrors, type SessionDraft } from './form';
import './education.css';

const PAGE = 20;
/** The most the server gives in one page (GET /api/education/sessions?limit=, at most 500). */
const MAX_PAGE = 500;

/** The newest `limit` sessions, in pages of at most MAX_PAGE. */
async function loadSessions(limit: number): Promise<{ items: SessionDto[]; total: number }> {
  const first = await educationApi.sessions(Math.min(limit, MAX_PAGE), 0);
  const items = [...first.items];
  while (items.length < limit && items.length < first.total) {
    const next = await educationApi.sessions(Math.min(MAX_PAGE, limit - items.length), items.length);
    if (next.items.length === 0) break;
    items.push(...next.items);
  }
  return { items, total: first.total };
}

export function SessionsPage() {
  const { t } = useTranslation();
  const [limit, setLimit] = useState(PAGE);
  const list = useLoad(() => loadSessions(limit), [limit]);
  return (
    <section className="page ed-page" aria-labelledby="page-title">
      <h1 id="page-title">{t('education.sessions.title')}</h1>
      <p className="muted">{t('education.sessions.intro')}</p>
      <SessionForm onSaved={() => void list.reload()} />
      <SessionList list={list} onMore={() => setLimit((l) => l + PAGE)} onVoided={() => void list.reload()} />
    </section>
  );
}

function SessionForm({ onSaved }: { onSaved: () => void }) {
  const { t } = useTranslation();
  const f = useFormats();
  const { me } = useSession();
  const placeName = usePlaceName();
  const today = useMemo(() => todayInCambodia(), []);
  const [d, setD] = useState<SessionDraft>(() => newDraft(today));
  const [errors, setErrors] = useState<PathErrors>({});
  const [general, setGeneral] = useState<Msg | null>(null);
  const [saved, setSaved] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const provinces = useLoad(() => api.provinces());
  const [districts, setDistricts] = useState<GeoUnit[] | null>(null);
  const formRef = useRef<HTMLFormElement>(null);

  // The organisation's province is the usual place of its sessions.
  useEffect(() => {
    let alive = true;
    request<Organisation>(`/api/organisations/${encodeURIComponent(me.organisation.id)}`).then(
      (o) => alive && setD((x) => (x.provinceCode ? x : { ...x, provinceCode: o.provinceCode })),
      () => undefined,
    );
    return () => {
      alive = false;
    };
  }, [me.organisation.id]);

  useEffect(() => {
    setDistricts(null);
    if (!d.provinceCode) return;
    let alive = true;
    api.districts(d.provinceCode).then(
      (ds) => alive && setDistricts(ds),
      () => alive && setDistricts([]),
    );
    return () => {
      alive = false;
    };
  }, [d.provinceCode]);

  const change = (patch: Partial<SessionDraft>, ...clear: string[]) => {
    setD((x) => ({ ...x, ...patch }));
    setSaved(null);
    setGeneral(null);
    if (clear.some((k) => errors[k])) setErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => !clear.includes(k))));
  };
  const setCell = (k: CellKey, v: string) => change({ cells: { ...d.cells, [k]: v } }, `participants.${k}`, 'participants');
  const err = (path: string) => show(t, errors[path]);

  const focusFirstError = () =>
    requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"], .ed-participants.field--error .ed-cell')?.focus());

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setGeneral(null);
    setSaved(null);
    const v = validate(d, todayInCambodia());
    if (!v.ok) {
      setErrors(v.errors);
      setGeneral({ key: 'education.form.fixErrors' });
      focusFirstError();
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const s = await educationApi.record(v.body);
      setSaved(s.total);
      // the date and place often stay the same for the next session of the day
      setD((x) => ({ ...x, setting: '', topic: '', cells: emptyCells() }));
      onSaved();
    } catch (x) {
      if (x instanceof ApiError && x.fields.length) {
        const at = apiPathErrors(x.fields.filter((f) => isFormPath(f.path)));
        setErrors(at);
        const others = x.fields.filter((f) => !isFormPath(f.path));
        setGeneral(others.length ? { raw: others.map((f) => `${f.path}: ${f.message}`).join(' ') } : { key: 'education.form.fixErrors' });
        focusFirstError();
      } else setGeneral(errorMsg(x));
    } finally {
      setBusy(false);
    }
  };

  const total = draftTotal(d);
  const cellErrors = Object.keys(errors).filter((k) => k.startsWith('participants.'));
  const cellName = (k: string) => {
    const [, sex, band] = k.split('.');
    return band ? t('education.form.cellLabel', { sex: t(`education.sexes.${sex}`), band: t(`education.ageBands.${band}`) }) : t(`education.sexes.${sex}`, { defaultValue: sex });
  };
  const provinceList = provinces.data ?? PROVINCES.map((p) => ({ code: p.code, number: p.number, nameEn: p.nameEn, nameKm: p.nameKm }));

  return (
    <form ref={formRef} className="card ed-form" onSubmit={submit} noValidate aria-labelledby="ed-form-title">
      <h2 id="ed-form-title" className="form-title">
        {t('education.form.title')}
      </h2>
      {general && <Notice kind="error">{show(t, general)}</Notice>}
      <div className="ed-form-grid">
        <TextField
          label={t('education.form.heldOn')}
          name="heldOn"
          type="date"
          value={d.heldOn}
          max={today}
          onChange={(e) => change({ heldOn: e.target.value }, 'heldOn')}
          error={err('heldOn')}
          required
        />
        <SelectField
          label={t('education.form.province')}
          name="provinceCode"
          value={d.provinceCode}
          onChange={(e) => change({ provinceCode: e.target.value, districtCode: '' }, 'provinceCode', 'districtCode')}
          error={err('provinceCode')}
          required
        >
          <option value="">{t('education.form.choose')}</option>
          {provinceList.map((p) => (
            <option key={p.code} value={p.code}>
              {placeName(p)}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t('education.form.district')}
          name="districtCode"
          value={d.districtCode}
          disabled={!d.provinceCode || !districts || districts.length === 0}
          hint={d.provinceCode && districts && districts.length === 0 ? t('education.form.noDistricts') : undefined}
          onChange={(e) => change({ districtCode: e.target.value }, 'districtCode')}
          error={err('districtCode')}
        >
          <option value="">{t('education.form.districtAll')}</option>
          {districts?.map((x) => (
            <option key={x.code} value={x.code}>
              {placeName(x)}
            </option>
          ))}
        </SelectField>
        <SelectField label={t('education.form.topic')} name="topic" value={d.topic} onChange={(e) => change({ topic: e.target.value as SessionTopic | '' }, 'topic')} error={err('topic')} required>
          <option value="">{t('education.form.choose')}</option>
          {SESSION_TOPICS.map((x) => (
            <option key={x} value={x}>
              {t(`education.topics.${x}`)}
            </option>
          ))}
        </SelectField>
      </div>

      <fieldset className={`case-fieldset${errors.setting ? ' field--error' : ''}`} aria-describedby={errors.setting ? 'ed-setting-err' : undefined}>
        <legend>{t('education.form.setting')}</legend>
        <div className="choice-tiles ed-settings">
          {SESSION_SETTINGS.map((s) => (
            <label key={s} className={`choice-tile${d.setting === s ? ' choice-tile--on' : ''}`}>
              <input type="radio" name="setting" value={s} checked={d.setting === s} onChange={() => change({ setting: s as SessionSetting }, 'setting')} aria-invalid={errors.setting ? true : undefined} />
              <span>{t(`education.settings.${s}`)}</span>
            </label>
          ))}
        </div>
        {errors.setting && (
          <p className="field-error" id="ed-setting-err" role="alert">
            {err('setting')}
          </p>
        )}
      </fieldset>

      <fieldset className={`case-fieldset ed-participants${errors.participants || cellErrors.length ? ' field--error' : ''}`} aria-describedby="ed-participants-hint">
        <legend>{t('education.form.participants')}</legend>
        <p className="hint" id="ed-participants-hint">
          {t('education.form.participantsHint')}
        </p>
        <div className="ed-grid-wrap">
          <table className="ed-grid">
            <thead>
              <tr>
                <th scope="col">{t('education.form.ageBand')}</th>
                {PARTICIPANT_SEXES.map((s) => (
                  <th key={s} scope="col">
                    {t(`education.sexes.${s}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {PARTICIPANT_AGE_BANDS.map((b) => (
                <tr key={b}>
                  <th scope="row">{t(`education.ageBands.${b}`)}</th>
                  {PARTICIPANT_SEXES.map((s) => {
                    const k = cellKey(s, b);
                    const bad = !!errors[`participants.${k}`];
                    return (
                      <td key={s}>
                        <input
                          type="text"
                          inputMode="numeric"
                          autoComplete="off"
                          className="ed-cell"
                          name={`participants.${k}`}
                          aria-label={t('education.form.cellLabel', { sex: t(`education.sexes.${s}`), band: t(`education.ageBands.${b}`) })}
                          aria-invalid={bad || undefined}
                          aria-describedby={bad ? 'ed-cell-errors' : undefined}
                          value={d.cells[k]}
                          maxLength={9}
                          onChange={(e) => setCell(k, e.target.value)}
                        />
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t('education.form.sexTotal')}</th>
                {PARTICIPANT_SEXES.map((s) => (
                  <td key={s} className="num">
                    {f.num(draftTotal(d, s))}
                  </td>
                ))}
              </tr>
            </tfoot>
          </table>
        </div>
        <p className="ed-total" aria-live="polite">
          {t('education.form.total')}: <strong data-testid="participants-total">{f.num(total)}</strong>
        </p>
        {errors.participants && (
          <p className="field-error" role="alert">
            {err('participants')}
          </p>
        )}
        {cellErrors.length > 0 && (
          <ul className="field-error ed-cell-errors" id="ed-cell-errors" role="alert">
            {cellErrors.map((k) => (
              <li key={k}>
                {cellName(k)}: {err(k)}
              </li>
            ))}
          </ul>
        )}
      </fieldset>

      <div className="form-actions ed-actions">
        <button type="submit" className="button button--primary button--big" disabled={busy}>
          {busy ? t('education.form.saving') : t('education.form.save')}
        </button>
      </div>
      {saved !== null && (
        <Notice kind="success">
          <span data-testid="session-saved">{t('education.sessions.saved', { n: f.num(saved) })}</span>
        </Notice>
      )}
    </form>
  );
}

/** The void form's messages: its own known ones, then the education ones, else the server's text. */
function voidMessage(message: string): Msg {
  if (message === 'choose a reason' || message === 'is required') return { key: 'education.void.errors.chooseReason' };
  if (message === 'this session is already voided') return { key: 'education.void.errors.alreadyVoided' };
  return educationMessage(message);
}

/**
 * "Void (entered in error)": a small inline form under the session — the reason, what voiding does, confirm. The
 * reason is checked with the server's schema first; the server's field errors are shown at the reason.
 */
function VoidSession({ s, label, onCancel, onVoided }: { s: SessionDto; label: string; onCancel: () => void; onVoided: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState<VoidReason | ''>('');
  const [error, setError] = useState<Msg | null>(null);
  const [general, setGeneral] = useState<Msg | null>(null);
  const [busy, setBusy] = useState(false);
  const ref = useRef<HTMLFormElement>(null);
  const errId = `ed-void-err-${s.id}`;
  useEffect(() => ref.current?.querySelector<HTMLInputElement>('input[type="radio"]')?.focus(), []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setGeneral(null);
    const v = voidSessionInput.safeParse({ reason: reason || undefined });
    if (!v.success) {
      setError({ key: 'education.void.errors.chooseReason' });
      return;
    }
    setBusy(true);
    try {
      await educationApi.void(s.id, v.data);
      onVoided();
    } catch (x) {
      if (x instanceof ApiError && x.status === 404) setGeneral({ key: 'education.void.errors.notFound' });
      else if (x instanceof ApiError && x.fields.length) {
        const at = x.fields.find((f) => f.path === 'reason');
        if (at) setError(voidMessage(at.message));
        const others = x.fields.filter((f) => f.path !== 'reason');
        if (others.length) setGeneral({ raw: others.map((f) => `${f.path}: ${f.message}`).join(' ') });
      } else setGeneral(errorMsg(x));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form ref={ref} className="ed-void" onSubmit={submit} noValidate aria-label={label} data-testid="void-form">
      {general && <Notice kind="error">{show(t, general)}</Notice>}
      <fieldset className={`case-fieldset${error ? ' field--error' : ''}`} aria-describedby={error ? errId : undefined}>
        <legend>{t('education.void.reason')}</legend>
        <div className="choice-tiles">
          {VOID_REASONS.map((r) => (
            <label key={r} className={`choice-tile${reason === r ? ' choice-tile--on' : ''}`}>
              <input
                type="radio"
                name={`void-reason-${s.id}`}
                value={r}
                checked={reason === r}
                aria-invalid={error ? true : undefined}
                onChange={() => {
                  setReason(r);
                  setError(null);
                }}
              />
              <span>{t(`education.void.reasons.${r}`)}</span>
            </label>
          ))}
        </div>
        {error && (
          <p className="field-error" id={errId} role="alert">
            {show(t, error)}
          </p>
        )}
      </fieldset>
      <p className="muted">{t('education.void.explain')}</p>
      <div className="form-actions">
        <button type="submit" className="button button--danger" disabled={busy}>
          {busy ? t('education.void.voiding') : t('education.void.confirm')}
        </button>
        <button type="button" className="button button--quiet" onClick={onCancel} disabled={busy}>
          {t('education.void.cancel')}
        </button>
      </div>
    </form>
  );
}

function SessionList({ list, onMore, onVoided }: { list: ReturnType<typeof useLoad<{ items: SessionDto[]; total: number }>>; onMore: () => void; onVoided: () => void }) {
  const { t } = useTranslation();
  const f = useFormats();
  const placeName = usePlaceName();
  const [districtNames, setDistrictNames] = useState<Record<string, GeoUnit>>({});
  const [voiding, setVoiding] = useState<string | null>(null);
  const [voided, setVoided] = useState(false);
  const items = list.data?.items ?? [];

  // District names for the sessions listed (one request per province that has districts in the list).
  const provincesWithDistricts = useMemo(() => [...new Set(items.filter((s) => s.districtCode).map((s) => s.provinceCode))].sort().join(','), [items]);
  useEffect(() => {
    if (!provincesWithDistricts) return;
    let alive = true;
    Promise.all(provincesWithDistricts.split(',').map((p) => api.districts(p).catch(() => [] as GeoUnit[]))).then((all) => {
      if (alive) setDistrictNames(Object.fromEntries(all.flat().map((x) => [x.code, x])));
    });
    return () => {
      alive = false;
    };
  }, [provincesWithDistricts]);

  const province = (code: string) => PROVINCES.find((p) => p.code === code);
  const place = (s: SessionDto) =>
    `${placeName(province(s.provinceCode), s.provinceCode)} · ${s.districtCode ? placeName(districtNames[s.districtCode], s.districtCode) : t('education.sessions.wholeProvince')}`;

  return (
    <section aria-labelledby="ed-list-title" className="ed-list">
      <h2 id="ed-list-title">{t('education.sessions.listTitle')}</h2>
      <div role="status">
        {voided && (
          <Notice kind="success">
            <span data-testid="session-voided">{t('education.void.done')}</span>
          </Notice>
        )}
      </div>
      {list.error ? (
        <Notice kind="error">
          {t('education.sessions.loadFailed')} {show(t, errorMsg(list.error))}{' '}
          <button type="button" className="button button--quiet" onClick={() => void list.reload()}>
            {t('common.retry')}
          </button>
        </Notice>
      ) : list.loading && !list.data ? (
        <p role="status">{t('app.loading')}</p>
      ) : items.length === 0 ? (
        <p className="muted">{t('education.sessions.none')}</p>
      ) : (
        <>
          <p className="muted small" data-testid="sessions-count">
            {t('education.sessions.count', { shown: f.num(items.length), total: f.num(list.data!.total) })}
          </p>
          <table className="table table--cards ed-sessions">
            <thead>
              <tr>
                <th scope="col">{t('education.sessions.columns.heldOn')}</th>
                <th scope="col">{t('education.sessions.columns.place')}</th>
                <th scope="col">{t('education.sessions.columns.setting')}</th>
                <th scope="col">{t('education.sessions.columns.topic')}</th>
                <th scope="col">{t('education.sessions.columns.participants')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('education.sessions.columns.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((s) => (
                <Fragment key={s.id}>
                  <tr data-testid="session-row">
                    <th scope="row">{f.date(s.heldOn)}</th>
                    <td data-label={t('education.sessions.columns.place')}>{place(s)}</td>
                    <td data-label={t('education.sessions.columns.setting')}>{t(`education.settings.${s.setting}`)}</td>
                    <td data-label={t('education.sessions.columns.topic')}>{t(`education.topics.${s.topic}`)}</td>
                    <td data-label={t('education.sessions.columns.participants')} className="ed-num">
                      {t('education.sessions.peopleN', { n: f.num(s.total) })}
                    </td>
                    <td data-label={t('education.sessions.columns.actions')}>
                      {voiding !== s.id && (
                        <button
                          type="button"
                          className="button button--quiet"
                          onClick={() => {
                            setVoiding(s.id);
                            setVoided(false);
                          }}
                        >
                          {t('education.void.open')}
                        </button>
                      )}
                    </td>
                  </tr>
                  {voiding === s.id && (
                    <tr className="ed-void-row">
                      <td colSpan={6}>
                        <VoidSession
                          s={s}
                          label={t('education.void.formLabel', { date: f.date(s.heldOn), topic: t(`education.topics.${s.topic}`) })}
                          onCancel={() => setVoiding(null)}
                          onVoided={() => {
                            setVoiding(null);
                            setVoided(true);
                            onVoided();
                          }}
                        />
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
          {items.length < list.data!.total && (
            <button type="button" className="button" onClick={onMore} disabled={list.loading}>
              {t('education.sessions.more')}
            </button>
          )}
        </>
      )}
    </section>
  );
}
