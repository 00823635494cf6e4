import { useState } from 'react';
import { OPEN_STATUSES } from '@alertautec/core';
import { incidents } from '../../api/endpoints.js';
import type { PossibleDuplicate, ReportPreview } from '../../api/types.js';
import { announce } from '../../announcer.js';
import { ErrorNotice, StatusBadge, UrgencyBadge } from '../../components/ui.js';
import { useCatalog } from '../../catalog.js';
import { useT } from '../../i18n/index.js';
import { Link } from '../../router.js';
import type { PickedPhoto } from './PhotoPicker.js';

/** The report as it will be filed, its department, and reports that may be the same. */
export function ReportReview({ preview, photos }: { preview: ReportPreview; photos: PickedPhoto[] }) {
  const { t, tOr, date, relative, number } = useT();
  const campus = useCatalog();
  const { incident, department, possibleDuplicates } = preview;
  const categoryName = campus?.categories.find((category) => category.code === incident.category)?.name ?? incident.category;
  const place = campus?.locations.find((location) => location.code === incident.locationCode)?.name;

  return (
    <div className="stack">
      <section className="card" aria-labelledby="review-summary">
        <h2 id="review-summary">{t('review.summary')}</h2>
        <dl className="facts">
          <dt>{t('incident.title')}</dt>
          <dd>{incident.title}</dd>
          <dt>{t('incident.category')}</dt>
          <dd>{tOr(`category.${incident.category}`, categoryName)}</dd>
          <dt>{t('incident.urgency')}</dt>
          <dd>
            <UrgencyBadge urgency={incident.urgency} />
          </dd>
          <dt>{t('incident.location')}</dt>
          <dd>{[place, incident.locationText].filter(Boolean).join(' — ') || '—'}</dd>
          <dt>{t('incident.department')}</dt>
          <dd>{department?.name ?? t('review.noDepartment')}</dd>
          <dt>{t('incident.slaDue')}</dt>
          <dd>{date(incident.slaDueAt)}</dd>
          <dt>{t('photos.label')}</dt>
          <dd>{photos.length ? t('review.photos', { n: photos.length }) : t('review.noPhotos')}</dd>
        </dl>
        <p className="description">{incident.description}</p>
      </section>
      <section className="card" aria-labelledby="review-duplicates">
        <h2 id="review-duplicates">{t('review.duplicates')}</h2>
        {possibleDuplicates.length === 0 ? (
          <p className="muted">{t('review.noDuplicates')}</p>
        ) : (
          <>
            <p className="notice notice-warning">{t('review.duplicatesLead', { n: possibleDuplicates.length })}</p>
            <ul className="duplicate-list">
              {possibleDuplicates.map((duplicate) => (
                <li key={duplicate.id} data-incident-id={duplicate.id}>
                  <strong>{duplicate.title ?? t('review.someoneElse', { category: tOr(`category.${duplicate.category}`, categoryName).toLowerCase() })}</strong>
                  <span className="row-meta">
                    <StatusBadge status={duplicate.status} /> <UrgencyBadge urgency={duplicate.urgency} />
                    <span>{duplicate.locationText ?? duplicate.locationCode ?? ''}</span>
                    {duplicate.distanceMeters !== null && <span>{t('review.distance', { m: number(duplicate.distanceMeters) })}</span>}
                    <span>{relative(duplicate.createdAt)}</span>
                    <span className="affected-count">{t('incident.affected', { n: duplicate.affectedCount })}</span>
                  </span>
                  <AffectsMeToo duplicate={duplicate} />
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
    </div>
  );
}

/**
 * "It affects me too / it's the same": the student follows the open report instead of
 * filing a new one (POST /api/incidents/:id/affected); the count shown goes up.
 */
function AffectsMeToo({ duplicate }: { duplicate: PossibleDuplicate }) {
  const { t } = useT();
  const [state, setState] = useState<{ busy: boolean; count?: number; error?: unknown }>({ busy: false });
  if (!OPEN_STATUSES.includes(duplicate.status)) return null;
  if (state.count !== undefined) {
    return (
      <p className="notice notice-success" role="status">
        {t('review.affectedDone')} <strong>{t('incident.affected', { n: state.count })}</strong>{' '}
        <Link to={`/incidents/${duplicate.id}`}>{t('review.affectedOpen')}</Link>
      </p>
    );
  }
  const join = async () => {
    setState({ busy: true });
    try {
      const { affectedCount } = await incidents.affected(duplicate.id);
      setState({ busy: false, count: affectedCount });
      announce(t('review.affectedDone'));
    } catch (error) {
      setState({ busy: false, error });
    }
  };
  return (
    <>
      <button type="button" className="button" disabled={state.busy} onClick={() => void join()}>
        {t('review.affected')}
      </button>
      <ErrorNotice error={state.error} />
    </>
  );
}
