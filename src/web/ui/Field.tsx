/** Form controls with a visible label, an optional hint and an error tied to the control (aria-describedby). */
import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from 'react';

interface Common {
  label: string;
  error?: string;
  hint?: ReactNode;
  optional?: string;
}

function describedBy(hintId: string, errId: string, hint: unknown, error: unknown) {
  return [error ? errId : '', hint ? hintId : ''].filter(Boolean).join(' ') || undefined;
}

export function TextField({ label, error, hint, optional, id, ...input }: Common & InputHTMLAttributes<HTMLInputElement>) {
  const auto = useId();
  const fid = id ?? auto;
  return (
    <div className={`field${error ? ' field--error' : ''}`}>
      <label htmlFor={fid}>
        {label}
        {optional && <span className="optional"> ({optional})</span>}
      </label>
      <input
        id={fid}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(`${fid}-hint`, `${fid}-err`, hint, error)}
        {...input}
      />
      {hint && (
        <p className="hint" id={`${fid}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${fid}-err`} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

export function SelectField({
  label,
  error,
  hint,
  optional,
  id,
  children,
  ...select
}: Common & SelectHTMLAttributes<HTMLSelectElement> & { children: ReactNode }) {
  const auto = useId();
  const fid = id ?? auto;
  return (
    <div className={`field${error ? ' field--error' : ''}`}>
      <label htmlFor={fid}>
        {label}
        {optional && <span className="optional"> ({optional})</span>}
      </label>
      <select
        id={fid}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(`${fid}-hint`, `${fid}-err`, hint, error)}
        {...select}
      >
        {children}
      </select>
      {hint && (
        <p className="hint" id={`${fid}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${fid}-err`} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

export function Notice({ kind, children, onDismiss, dismissLabel }: { kind: 'error' | 'success' | 'info'; children: ReactNode; onDismiss?: () => void; dismissLabel?: string }) {
  return (
    <div className={`notice notice--${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      <div className="notice-body">{children}</div>
      {onDismiss && (
        <button type="button" className="button button--quiet" onClick={onDismiss}>
          {dismissLabel}
        </button>
      )}
    </div>
  );
}
