/** A titled panel: a chart (or map), and one click away the same numbers as a table with its CSV download. */
import { useId, useState, type ReactNode } from 'react';

export interface ChartPanelProps {
  title: string;
  /** Shown under the title (units, notes). */
  note?: ReactNode;
  children: ReactNode;
  /** The table with the chart's numbers (rendered only when shown). */
  table: () => ReactNode;
  csvHref?: string;
  labels: { showTable: string; hideTable: string; downloadCsv: string };
  className?: string;
  /** Buttons next to the table toggle. */
  actions?: ReactNode;
}

export function ChartPanel({ title, note, children, table, csvHref, labels, className, actions }: ChartPanelProps) {
  const id = useId();
  const [open, setOpen] = useState(false);
  return (
    <section className={`chart-panel${className ? ` ${className}` : ''}`} aria-labelledby={`${id}-title`}>
      <div className="chart-panel-head">
        <h3 id={`${id}-title`}>{title}</h3>
        <div className="chart-panel-actions">
          {actions}
          <button type="button" className="button button--small" aria-expanded={open} aria-controls={`${id}-table`} onClick={() => setOpen((o) => !o)}>
            {open ? labels.hideTable : labels.showTable}
          </button>
        </div>
      </div>
      {note && <p className="chart-panel-note muted small">{note}</p>}
      {children}
      <div id={`${id}-table`} className="chart-panel-table" hidden={!open}>
        {open && (
          <>
            {table()}
            {csvHref && (
              <a className="button button--small" href={csvHref} download>
                {labels.downloadCsv}
              </a>
            )}
          </>
        )}
      </div>
    </section>
  );
}

/** A plain data table: the first column is the row header, the others are numbers (right-aligned). */
export function DataTable({ caption, columns, rows }: { caption: string; columns: string[]; rows: (string | number)[][] }) {
  return (
    <div className="data-table-wrap">
      <table className="table data-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={i} scope="col" className={i > 0 ? 'num' : undefined}>
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {r.map((v, j) =>
                j === 0 ? (
                  <th key={j} scope="row">
                    {v}
                  </th>
                ) : (
                  <td key={j} className="num">
                    {v}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
