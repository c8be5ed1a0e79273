/**
 * /cases/import: many cases at once from two CSV files. All or nothing: any bad row → every problem listed and
 * nothing saved. Re-importing the same file changes nothing (cases are matched on unit + reference).
 * The upload shows real progress (bytes sent, then cases saved, read from the NDJSON stream).
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { AGE_BANDS, CASE_TYPES, DISPOSITIONS, DRUGS, PERSON_ROLES, QUANTITY_UNITS, SEXES } from '../../../core/enforcement';
import { CASE_COLUMNS, SEIZURE_COLUMNS, type ImportProblem } from '../../../core/enforcement-import';
import { errorMsg, show, type Msg } from '../../i18n/messages';
import { Link } from '../../shell/router';
import { Notice } from '../../ui/Field';
import { casesApi, importCases, ImportRejected, type ImportProgress, type ImportResult } from './api';
import { useFormat } from './format';

/** "row 12, person_sex: …" — with "seizures " in front for the seizures file. */
export function rejectedLine(p: ImportProblem, rowWord: (n: number) => string): string {
  const where = p.row ? `${rowWord(p.row)}, ${p.column}` : p.column;
  return `${p.file === 'seizures' ? 'seizures ' : ''}${where}: ${p.message}`;
}

function useTemplates() {
  const [urls, setUrls] = useState<{ cases: string; seizures: string } | null>(null);
  useEffect(() => {
    let made: { cases: string; seizures: string } | null = null;
    let alive = true;
    casesApi.template().then(
      (tpl) => {
        if (!alive) return;
        made = {
          cases: URL.createObjectURL(new Blob([tpl.cases], { type: 'text/csv;charset=utf-8' })),
          seizures: URL.createObjectURL(new Blob([tpl.seizures], { type: 'text/csv;charset=utf-8' })),
        };
        setUrls(made);
      },
      () => undefined,
    );
    return () => {
      alive = false;
      if (made) {
        URL.revokeObjectURL(made.cases);
        URL.revokeObjectURL(made.seizures);
      }
    };
  }, []);
  return urls;
}

export function ImportCasesPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const templates = useTemplates();
  const [casesFile, setCasesFile] = useState<File | null>(null);
  const [seizuresFile, setSeizuresFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [busy, setBusy] = useState(false);
  const [rejected, setRejected] = useState<ImportProblem[] | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<Msg | null>(null);
  const [fileError, setFileError] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setRejected(null);
    setResult(null);
    setError(null);
    if (!casesFile) {
      setFileError(true);
      return;
    }
    setFileError(false);
    setBusy(true);
    setProgress({ phase: 'upload', loaded: 0, total: 0 });
    try {
      const cases = await casesFile.text();
      const seizures = seizuresFile ? await seizuresFile.text() : undefined;
      const r = await importCases(seizures !== undefined ? { cases, seizures } : { cases }, setProgress);
      setResult(r);
    } catch (x) {
      if (x instanceof ImportRejected) setRejected(x.rejected);
      else setError(errorMsg(x));
    } finally {
      setBusy(false);
      setProgress(null);
    }
  };

  const codes: [string, readonly string[], string][] = [
    ['case_type', CASE_TYPES, 'enforcement.caseTypes'],
    ['person_role', PERSON_ROLES, 'enforcement.personRoles'],
    ['person_sex', SEXES, 'enforcement.sexes'],
    ['person_age_band', AGE_BANDS, 'enforcement.ageBands'],
    ['person_disposition', DISPOSITIONS, 'enforcement.dispositions'],
    ['drug', DRUGS, 'enforcement.drugs'],
    ['unit', QUANTITY_UNITS, 'enforcement.units'],
  ];

  return (
    <section className="page" aria-labelledby="page-title">
      <p className="breadcrumb">
        <Link href="/cases">{t('cases.nav.list')}</Link>
      </p>
      <h1 id="page-title">{t('cases.import.title')}</h1>
      <p>{t('cases.import.intro')}</p>
      <ul>
        <li>{t('cases.import.ruleAllOrNothing')}</li>
        <li>{t('cases.import.ruleIdempotent')}</li>
        <li>{t('cases.import.ruleNoNames')}</li>
      </ul>

      <details className="format card">
        <summary>{t('cases.import.formatTitle')}</summary>
        <h3>cases.csv</h3>
        <p>{t('cases.import.casesFormat')}</p>
        <pre className="code">{CASE_COLUMNS.join(',')}</pre>
        <h3>seizures.csv</h3>
        <p>{t('cases.import.seizuresFormat')}</p>
        <pre className="code">{SEIZURE_COLUMNS.join(',')}</pre>
        <p>{t('cases.import.valuesFormat')}</p>
        <h3>{t('cases.import.codesTitle')}</h3>
        <dl className="import-codes">
          {codes.map(([col, list, prefix]) => (
            <div key={col}>
              <dt>
                <code>{col}</code>
              </dt>
              <dd>
                {list.map((c, i) => (
                  <span key={c}>
                    {i > 0 && '; '}
                    <code>{c}</code> = {t(`${prefix}.${c}`)}
                  </span>
                ))}
              </dd>
            </div>
          ))}
          <div>
            <dt>
              <code>person_nationality</code>
            </dt>
            <dd>{t('cases.import.nationalityCodes')}</dd>
          </div>
        </dl>
      </details>

      <p className="templates">
        {templates ? (
          <>
            <a href={templates.cases} download="cases.csv">
              {t('cases.import.templateCases')}
            </a>{' '}
            ·{' '}
            <a href={templates.seizures} download="seizures.csv">
              {t('cases.import.templateSeizures')}
            </a>
          </>
        ) : (
          <span className="muted">{t('app.loading')}</span>
        )}
      </p>

      <form className="card" onSubmit={submit} noValidate aria-labelledby="import-form-title">
        <h2 id="import-form-title" className="form-title">
          {t('cases.import.formTitle')}
        </h2>
        <div className={`field${fileError ? ' field--error' : ''}`}>
          <label htmlFor="import-cases">{t('cases.import.casesFile')}</label>
          <input
            id="import-cases"
            type="file"
            accept=".csv,text/csv"
            aria-invalid={fileError || undefined}
            aria-describedby={fileError ? 'import-cases-err' : undefined}
            onChange={(e) => setCasesFile(e.target.files?.[0] ?? null)}
          />
          {fileError && (
            <p className="field-error" id="import-cases-err" role="alert">
              {t('cases.import.casesFileRequired')}
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor="import-seizures">
            {t('cases.import.seizuresFile')} <span className="optional">({t('common.optional')})</span>
          </label>
          <input id="import-seizures" type="file" accept=".csv,text/csv" onChange={(e) => setSeizuresFile(e.target.files?.[0] ?? null)} />
        </div>
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? t('common.working') : t('cases.import.upload')}
          </button>
        </div>
        {progress && (
          <div className="progress" role="status" aria-live="polite">
            {progress.phase === 'upload' && progress.total > 0 && progress.loaded >= progress.total ? (
              <>
                <progress aria-label={t('cases.import.checking')} />
                <span>{t('cases.import.checking')}</span>
              </>
            ) : progress.phase === 'upload' ? (
              <>
                <progress max={progress.total || 1} value={progress.total ? progress.loaded : undefined} aria-label={t('cases.import.uploading')} />
                <span>{t('cases.import.uploading')}</span>
              </>
            ) : (
              <>
                <progress max={progress.total || 1} value={progress.done} aria-label={t('cases.import.savingLabel')} />
                <span>{t('cases.import.saving', { done: fmt.number(progress.done), total: fmt.number(progress.total) })}</span>
              </>
            )}
          </div>
        )}
      </form>

      {error && <Notice kind="error">{show(t, error)}</Notice>}
      {result && (
        <Notice kind="success" onDismiss={() => setResult(null)} dismissLabel={t('common.dismiss')}>
          <p>
            <strong>{t('cases.import.done', { cases: fmt.number(result.cases), rows: fmt.number(result.rows) })}</strong>
          </p>
          <dl className="report">
            <div>
              <dt>{t('cases.import.created')}</dt>
              <dd>{fmt.number(result.created)}</dd>
            </div>
            <div>
              <dt>{t('cases.import.updated')}</dt>
              <dd>{fmt.number(result.updated)}</dd>
            </div>
            <div>
              <dt>{t('cases.import.unchanged')}</dt>
              <dd>{fmt.number(result.unchanged)}</dd>
            </div>
          </dl>
        </Notice>
      )}
      {rejected && (
        <Notice kind="error">
          <p>
            <strong>{t('cases.import.rejected', { count: rejected.length, n: fmt.number(rejected.length) })}</strong>
          </p>
          <ul className="rejected">
            {rejected.map((p, i) => (
              <li key={i}>{rejectedLine(p, (n) => t('cases.import.row', { n }))}</li>
            ))}
          </ul>
        </Notice>
      )}
    </section>
  );
}
