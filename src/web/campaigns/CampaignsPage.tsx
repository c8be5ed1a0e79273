/** Administrators and analysts: the campaigns (names in English and Khmer, dates, pillars); create and edit. */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { errorMsg, show, type Msg } from '../i18n/messages';
import { Notice, TextField } from '../ui/Field';
import { useLoad } from '../ui/useAsync';
import { useFormats } from '../enforcement/report/format';
import { PILLARS, campaignsApi, type Campaign, type CampaignBody, type Pillar } from './api';
import { campaignMessage, validateCampaign, type CampaignErrors } from './validate';

const FIELDS = ['nameEn', 'nameKm', 'startDate', 'endDate', 'pillars'] as const;

const sortCampaigns = (list: Campaign[]) => [...list].sort((a, b) => b.startDate.localeCompare(a.startDate) || a.nameEn.localeCompare(b.nameEn));

export function CampaignsPage() {
  const { t } = useTranslation();
  const f = useFormats();
  const list = useLoad(() => campaignsApi.list());
  const [editing, setEditing] = useState<Campaign | null>(null);
  const [formKey, setFormKey] = useState(0);

  const saved = (c: Campaign) => {
    list.setData((xs) => sortCampaigns([...(xs ?? []).filter((x) => x.id !== c.id), c]));
  };

  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{t('campaigns.title')}</h1>
      <p className="muted">{t('campaigns.intro')}</p>

      <CampaignForm
        key={`${editing?.id ?? 'new'}-${formKey}`}
        campaign={editing}
        onSaved={(c) => {
          saved(c);
          if (editing) setEditing(null);
        }}
        onCancel={() => {
          setEditing(null);
          setFormKey((k) => k + 1);
        }}
      />

      <h2>{t('campaigns.listTitle')}</h2>
      {list.error ? (
        <Notice kind="error">
          {show(t, errorMsg(list.error))}{' '}
          <button type="button" className="button button--quiet" onClick={() => void list.reload()}>
            {t('common.retry')}
          </button>
        </Notice>
      ) : null}
      {list.loading && !list.data ? (
        <p role="status">{t('app.loading')}</p>
      ) : list.data && list.data.length === 0 ? (
        <p>{t('campaigns.none')}</p>
      ) : list.data ? (
        <table className="table table--cards">
          <caption className="visually-hidden">{t('campaigns.listTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('campaigns.name')}</th>
              <th scope="col">{t('campaigns.dates')}</th>
              <th scope="col">{t('campaigns.pillars')}</th>
              <th scope="col">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((c) => (
              <tr key={c.id} className={editing?.id === c.id ? 'row--editing' : undefined}>
                <th scope="row" data-label={t('campaigns.name')}>
                  <span lang="en">{c.nameEn}</span>
                  <br />
                  <span lang="km" className="muted">
                    {c.nameKm}
                  </span>
                </th>
                <td data-label={t('campaigns.dates')}>
                  {c.endDate ? t('campaigns.fromTo', { from: f.date(c.startDate), to: f.date(c.endDate) }) : t('campaigns.fromOpen', { from: f.date(c.startDate) })}
                </td>
                <td data-label={t('campaigns.pillars')}>
                  <span className="badges">
                    {c.pillars.map((p) => (
                      <span key={p} className="badge badge--pillar">
                        {t(`enforcement.pillars.${p}`)}
                      </span>
                    ))}
                  </span>
                </td>
                <td data-label={t('common.actions')}>
                  <button
                    type="button"
                    className="button button--small"
                    aria-label={t('campaigns.editLabel', { name: f.lang === 'km' ? c.nameKm : c.nameEn })}
                    onClick={() => {
                      setEditing(c);
                      document.getElementById('campaign-form-title')?.scrollIntoView?.({ block: 'start' });
                    }}
                  >
                    {t('campaigns.edit')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

function CampaignForm({ campaign, onSaved, onCancel }: { campaign: Campaign | null; onSaved: (c: Campaign) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [nameEn, setNameEn] = useState(campaign?.nameEn ?? '');
  const [nameKm, setNameKm] = useState(campaign?.nameKm ?? '');
  const [startDate, setStartDate] = useState(campaign?.startDate ?? '');
  const [endDate, setEndDate] = useState(campaign?.endDate ?? '');
  const [pillars, setPillars] = useState<Pillar[]>(campaign?.pillars ?? ['enforcement']);
  const [fields, setFields] = useState<CampaignErrors>({});
  const [error, setError] = useState<Msg | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const togglePillar = (p: Pillar, on: boolean) => setPillars((ps) => PILLARS.filter((x) => (x === p ? on : ps.includes(x))));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setDone(null);
    const body: CampaignBody = { nameEn: nameEn.trim(), nameKm: nameKm.trim(), startDate, endDate: endDate || null, pillars };
    const problems = validateCampaign(body);
    if (Object.keys(problems).length) {
      setFields(problems);
      setError({ key: 'common.formHasErrors' });
      return;
    }
    setFields({});
    setBusy(true);
    try {
      const c = campaign ? await campaignsApi.update(campaign.id, body) : await campaignsApi.create(body);
      onSaved(c);
      setDone(t(campaign ? 'campaigns.saved' : 'campaigns.created', { name: c.nameEn }));
      if (!campaign) {
        setNameEn('');
        setNameKm('');
        setStartDate('');
        setEndDate('');
        setPillars(['enforcement']);
      }
    } catch (err) {
      const f: CampaignErrors = {};
      if (err instanceof ApiError)
        for (const fe of err.fields) {
          const key = fe.path.split('.').find((s) => (FIELDS as readonly string[]).includes(s)) as (typeof FIELDS)[number] | undefined;
          if (key && !f[key]) f[key] = campaignMessage(fe.message);
        }
      setFields(f);
      setError(Object.keys(f).length ? { key: 'common.formHasErrors' } : errorMsg(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card form-grid" onSubmit={submit} noValidate aria-labelledby="campaign-form-title">
      <h2 id="campaign-form-title" className="form-title">
        {campaign ? t('campaigns.editTitle') : t('campaigns.createTitle')}
      </h2>
      {done && (
        <Notice kind="success" onDismiss={() => setDone(null)} dismissLabel={t('common.dismiss')}>
          {done}
        </Notice>
      )}
      {error && <Notice kind="error">{show(t, error)}</Notice>}
      <TextField label={t('campaigns.nameEn')} name="nameEn" lang="en" value={nameEn} onChange={(e) => setNameEn(e.target.value)} error={show(t, fields.nameEn)} maxLength={200} />
      <TextField
        label={t('campaigns.nameKm')}
        name="nameKm"
        lang="km"
        value={nameKm}
        onChange={(e) => setNameKm(e.target.value)}
        error={show(t, fields.nameKm)}
        hint={t('campaigns.nameKmHint')}
        maxLength={200}
      />
      <TextField
        label={t('campaigns.startDate')}
        name="startDate"
        type="date"
        value={startDate}
        onChange={(e) => setStartDate(e.target.value)}
        error={show(t, fields.startDate)}
        hint={t('campaigns.healthDatesHint')}
      />
      <TextField
        label={t('campaigns.endDate')}
        optional={t('common.optional')}
        name="endDate"
        type="date"
        value={endDate}
        min={startDate || undefined}
        onChange={(e) => setEndDate(e.target.value)}
        error={show(t, fields.endDate)}
        hint={t('campaigns.endDateHint')}
      />
      <fieldset className={`field field--wide checkbox-group${fields.pillars ? ' field--error' : ''}`} aria-describedby={fields.pillars ? 'campaign-pillars-err' : undefined}>
        <legend>{t('campaigns.pillars')}</legend>
        {PILLARS.map((p) => (
          <label key={p} className="checkbox">
            <input type="checkbox" name="pillars" value={p} checked={pillars.includes(p)} onChange={(e) => togglePillar(p, e.target.checked)} />
            {t(`enforcement.pillars.${p}`)}
          </label>
        ))}
        {fields.pillars && (
          <p className="field-error" id="campaign-pillars-err" role="alert">
            {show(t, fields.pillars)}
          </p>
        )}
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? t('common.working') : campaign ? t('campaigns.save') : t('campaigns.create')}
        </button>
        {campaign && (
          <button type="button" className="button" onClick={onCancel}>
            {t('campaigns.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
