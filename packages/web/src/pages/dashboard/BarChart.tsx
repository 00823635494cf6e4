import { useId } from 'react';
import { useT } from '../../i18n/index.js';

export interface Bar {
  key: string;
  label: string;
  value: number;
  /** A CSS class for the bar's colour. */
  tone?: string;
}

/**
 * A horizontal bar chart: one row per item, its bar an SVG rectangle scaled to the
 * largest value. Screen readers get the same numbers as a table; the drawing is hidden.
 */
export function BarChart({ title, bars }: { title: string; bars: Bar[] }) {
  const { t, number } = useT();
  const titleId = useId();
  const max = Math.max(1, ...bars.map((bar) => bar.value));

  return (
    <figure className="card chart" aria-labelledby={titleId}>
      <figcaption id={titleId}>{title}</figcaption>
      {bars.length === 0 ? (
        <p className="muted">{t('dashboard.noData')}</p>
      ) : (
        <ul className="bars" aria-hidden="true">
          {bars.map((bar) => (
            <li key={bar.key} className="bar-row">
              <span className="bar-label">{bar.label}</span>
              <svg className="bar-track" viewBox="0 0 100 10" preserveAspectRatio="none" focusable="false">
                <rect x="0" y="0" width="100" height="10" className="bar-bg" />
                <rect x="0" y="0" width={(100 * bar.value) / max} height="10" className={`bar ${bar.tone ?? ''}`} />
              </svg>
              <span className="bar-value">{number(bar.value)}</span>
            </li>
          ))}
        </ul>
      )}
      <table className="visually-hidden">
        <thead>
          <tr>
            <th scope="col">{t('dashboard.item')}</th>
            <th scope="col">{t('dashboard.count')}</th>
          </tr>
        </thead>
        <tbody>
          {bars.map((bar) => (
            <tr key={bar.key}>
              <th scope="row">{bar.label}</th>
              <td>{bar.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
