/** Administrator: reference geography counts, the province list, and the district/commune CSV import. */
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import type { ImportReport, RejectedRow } from '../../api/types';
import { errorMsg, messageOf, show, type Msg } from '../../i18n/messages';
import { Notice } from '../../ui/Field';
import { useLoad } from '../../ui/useAsync';

const HEADER = 'level,code,parent_code,name_en,name_km';

export function GeographyPage() {
  const { t } = useTranslation();
  const summary = useLoad(() => api.geographySummary());
  const provinces = useLoad(() => api.provinces());
  const fileRef = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [rejected, setRejected] = useState<RejectedRow[] | null>(null);
  const [error, setError] = useState<{ msg: Msg; detail?: string } | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setReport(null);
    setRejected(null);
    setError(null);
    const file = fileRef.current?.files?.[0];
    if (!file) {
      setError({ msg: { key: 'geography.chooseFile' } });
      return;
    }
    setBusy(true);
    try {
      let text: string;
      try {
        text = await file.text();
      } catch {
        setError({ msg: { key: 'geography.readError' } });
        return;
      }
      const r = await api.importGeography(text);
      setReport(r);
      void summary.reload();
      if (fileRef.current) fileRef.current.value = '';
    } catch (err) {
      const rows = err instanceof ApiError && Array.isArray(err.body.rejected) ? (err.body.rejected as RejectedRow[]) : null;
      if (err instanceof ApiError && err.status === 400 && rows?.length) setRejected(rows);
      else {
        const detail = err instanceof ApiError && err.fields.length ? err.fields.map((f) => `${f.path}: ${f.message}`).join('; ') : '';
        setError({ msg: errorMsg(err), detail });
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{t('geography.title')}</h1>
      <p className="muted">{t('geography.intro')}</p>

      <h2>{t('geography.counts')}</h2>
      {summary.error ? <Notice kind="error">{show(t, errorMsg(summary.error))}</Notice> : null}
      <dl className="stats" aria-busy={summary.loading}>
        {(['provinces', 'districts', 'communes'] as const).map((k) => (
          <div key={k} className="stat card">
            <dt>{t(`geography.${k}`)}</dt>
            <dd data-testid={`geo-count-${k}`}>{summary.data ? summary.data[k].toLocaleString() : '…'}</dd>
          </div>
        ))}
      </dl>

      <form className="card" onSubmit={submit} noValidate aria-labelledby="geo-import-title">
        <h2 id="geo-import-title" className="form-title">
          {t('geography.importTitle')}
        </h2>
        <details className="format" open>
          <summary>{t('geography.formatTitle')}</summary>
          <p>{t('geography.formatIntro')}</p>
          <pre className="code">{HEADER}</pre>
          <ul>
            <li>{t('geography.formatLevel')}</li>
            <li>{t('geography.formatCode')}</li>
            <li>{t('geography.formatParent')}</li>
            <li>{t('geography.formatNames')}</li>
          </ul>
          <p>{t('geography.formatAllOrNothing')}</p>
          <p>
            <a href="/geography-template.csv" download="geography-template.csv">
              {t('geography.template')}
            </a>
          </p>
        </details>
        <div className="field">
          <label htmlFor="geo-file">{t('geography.file')}</label>
          <input id="geo-file" ref={fileRef} type="file" name="file" accept=".csv,text/csv" disabled={busy} />
        </div>
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {t('geography.import')}
          </button>
        </div>
        {busy && (
          <div className="progress" role="status">
            <progress aria-label={t('geography.importing')} />
            <span>{t('geography.importing')}</span>
          </div>
        )}
        {error && <Notice kind="error">{[show(t, error.msg), error.detail].filter(Boolean).join(' ')}</Notice>}
        {report && (
          <Notice kind="success">
            <p>
              <strong>{t('geography.success')}</strong>
            </p>
            <dl className="report" data-testid="geo-import-report">
              {(['inserted', 'updated', 'unchanged', 'districts', 'communes'] as const).map((k) => (
                <div key={k}>
                  <dt>{t(`geography.${k}`)}</dt>
                  <dd>{report[k].toLocaleString()}</dd>
                </div>
              ))}
            </dl>
          </Notice>
        )}
        {rejected && (
          <Notice kind="error">
            <p>
              <strong>{t('geography.rejectedTitle', { count: rejected.length })}</strong>
            </p>
            <ul className="rejected" data-testid="geo-rejected">
              {rejected.map((r, i) => (
                <li key={i}>
                  {r.row
                    ? t('geography.rejectedRow', { row: r.row, column: r.column, message: show(t, messageOf(r.message)) })
                    : t('geography.rejectedFile', { column: r.column, message: show(t, messageOf(r.message)) })}
                </li>
              ))}
            </ul>
          </Notice>
        )}
      </form>

      <h2>{t('geography.provinceList')}</h2>
      {provinces.error ? <Notice kind="error">{show(t, errorMsg(provinces.error))}</Notice> : null}
      {provinces.data && (
        <table className="table">
          <caption className="visually-hidden">{t('geography.provinceList')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('geography.code')}</th>
              <th scope="col">{t('geography.nameEn')}</th>
              <th scope="col">{t('geography.nameKm')}</th>
            </tr>
          </thead>
          <tbody>
            {provinces.data.map((p) => (
              <tr key={p.code}>
                <td>{p.code}</td>
                <td lang="en">{p.nameEn}</td>
                <td lang="km">{p.nameKm}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
