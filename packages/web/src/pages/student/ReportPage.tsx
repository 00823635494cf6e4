import { useEffect, useRef, useState, type FormEvent } from 'react';
import { incidents } from '../../api/endpoints.js';
import type { Incident, IncidentDraft, ReportPreview, Urgency } from '../../api/types.js';
import { announce } from '../../announcer.js';
import { ErrorNotice, PageTitle, useErrorText } from '../../components/ui.js';
import { useCatalog } from '../../catalog.js';
import { useT } from '../../i18n/index.js';
import { Link } from '../../router.js';
import { useServerConfig } from '../../server-config.js';
import { DescriptionField, textLength } from './DescriptionField.js';
import { EmergencyCall } from './EmergencyCall.js';
import { LocationPicker, type LocationValue } from './LocationPicker.js';
import { PhotoPicker, releasePhotos, type PickedPhoto, type UploadProgress } from './PhotoPicker.js';
import { ReportReview } from './ReportReview.js';
import { UrgencyField } from './UrgencyField.js';

type Step = 'edit' | 'review' | 'done';

/** A fresh Idempotency-Key: a retried submit of the same reviewed draft never duplicates. */
function newKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export function ReportPage() {
  const { t, tOr } = useT();
  const errorText = useErrorText();
  const campus = useCatalog();
  const config = useServerConfig();
  const descriptionInput = useRef<HTMLTextAreaElement>(null);
  const [step, setStep] = useState<Step>('edit');
  const [category, setCategory] = useState('');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [urgency, setUrgency] = useState<Urgency>('medium');
  const [location, setLocation] = useState<LocationValue>({ code: null, text: '' });
  const [anonymous, setAnonymous] = useState(false);
  const [photos, setPhotos] = useState<PickedPhoto[]>([]);
  const [preview, setPreview] = useState<ReportPreview | null>(null);
  const [idempotencyKey, setIdempotencyKey] = useState('');
  const [progress, setProgress] = useState<UploadProgress>({});
  const [created, setCreated] = useState<Incident | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [locationMissing, setLocationMissing] = useState(false);
  // The thumbnails live as long as the report does (every step shows them), not as one picker.
  const photosNow = useRef(photos);
  photosNow.current = photos;
  useEffect(() => () => releasePhotos(photosNow.current), []);

  const draft = (): IncidentDraft => ({
    category,
    description: description.trim(),
    urgency,
    ...(title.trim() ? { title: title.trim() } : {}),
    ...(location.code ? { locationCode: location.code } : {}),
    ...(location.text.trim() ? { locationText: location.text.trim() } : {}),
    ...(location.point ? { lat: location.point.lat, lng: location.point.lng } : {}),
    ...(anonymous ? { anonymous: true } : {}),
  });

  const review = async (event: FormEvent) => {
    event.preventDefault();
    // Over-length is refused, never cut: the field says by how much (DescriptionField).
    if (config && textLength(description.trim()) > config.descriptionMaxLength) {
      setError(null);
      descriptionInput.current?.focus();
      announce(t('report.description.tooLong', { max: config.descriptionMaxLength, over: textLength(description.trim()) - config.descriptionMaxLength }));
      return;
    }
    if (!location.code && !location.text.trim()) {
      setError(null);
      document.getElementById('location-search')?.focus();
      announce(t('report.location.required'));
      return setLocationMissing(true);
    }
    setBusy(true);
    setError(null);
    try {
      setPreview(await incidents.preview(draft()));
      setIdempotencyKey(newKey());
      setStep('review');
      announce(t('review.ready'));
    } catch (reason) {
      setError(reason);
    } finally {
      setBusy(false);
    }
  };
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const incident = created ?? (await incidents.create(draft(), idempotencyKey));
      setCreated(incident);
      for (const photo of photos) {
        if (progress[photo.key] === 'done') continue;
        await upload(incident, photo);
      }
      setStep('done');
      announce(t('report.sent'));
    } catch (reason) {
      setError(reason);
    } finally {
      setBusy(false);
    }
  };

  // One file to the incident (which exists already): a failure stays on that file, with a retry.
  const upload = async (incident: Incident, photo: PickedPhoto) => {
    setProgress((current) => ({ ...current, [photo.key]: 0 }));
    try {
      await incidents.attach(incident.id, photo.file, (fraction) => setProgress((current) => ({ ...current, [photo.key]: fraction })));
      setProgress((current) => ({ ...current, [photo.key]: 'done' }));
    } catch (reason) {
      setProgress((current) => ({ ...current, [photo.key]: { error: errorText(reason) } }));
    }
  };
  const retry = (photo: PickedPhoto) => {
    if (!created) return;
    void upload(created, photo).then(() => announce(t('photos.retried', { name: photo.file.name })));
  };

  const restart = () => {
    setStep('edit');
    setCategory('');
    setTitle('');
    setDescription('');
    setUrgency('medium');
    setLocation({ code: null, text: '' });
    setAnonymous(false);
    releasePhotos(photos);
    setPhotos([]);
    setProgress({});
    setPreview(null);
    setCreated(null);
  };

  // Each step has its own key: its page title mounts afresh and takes the focus (PageTitle),
  // so after the review (or back from it) the keyboard starts at the top of the new step.
  if (step === 'done' && created) {
    const failed = Object.values(progress).some((state) => typeof state === 'object');
    return (
      <div key="done" className="stack narrow">
        <PageTitle>{t('report.sentTitle')}</PageTitle>
        <p className="notice notice-success">{t('report.sentLead', { title: created.title })}</p>
        {created.urgency === 'critical' && <EmergencyCall department={campus?.departments.find((department) => department.id === created.departmentId)} />}
        {failed && <p className="notice notice-warning">{t('photos.failedRetry')}</p>}
        <PhotoPicker photos={photos} onChange={setPhotos} progress={progress} disabled onRetry={retry} />
        <div className="button-row">
          <Link to={`/incidents/${created.id}`} className="button button-primary">
            {t('report.viewIncident')}
          </Link>
          <button type="button" onClick={restart}>
            {t('report.another')}
          </button>
        </div>
      </div>
    );
  }

  if (step === 'review' && preview) {
    return (
      <div key="review" className="stack narrow">
        <PageTitle>{t('review.title')}</PageTitle>
        {preview.incident.urgency === 'critical' && <EmergencyCall department={preview.department} />}
        <ReportReview preview={preview} photos={photos} />
        {busy && photos.length > 0 && <PhotoPicker photos={photos} onChange={setPhotos} progress={progress} disabled />}
        <ErrorNotice error={error} />
        <div className="button-row">
          <button type="button" className="button-primary" disabled={busy} onClick={() => void submit()}>
            {busy ? t('review.sending') : t('review.submit')}
          </button>
          <button type="button" disabled={busy || created !== null} onClick={() => setStep('edit')}>
            {t('review.back')}
          </button>
        </div>
      </div>
    );
  }

  return (
    <div key="edit" className="narrow">
      <PageTitle>{t('report.title')}</PageTitle>
      <p className="muted">{t('report.lead')}</p>
      <form className="stack card" onSubmit={(event) => void review(event)} noValidate={false}>
        <div className="field">
          <label htmlFor="report-category">{t('incident.category')}</label>
          <select id="report-category" required value={category} onChange={(event) => setCategory(event.target.value)}>
            <option value="">{campus ? t('report.category.choose') : t('common.loading')}</option>
            {campus?.categories.map((item) => (
              <option key={item.code} value={item.code}>
                {tOr(`category.${item.code}`, item.name)}
              </option>
            ))}
          </select>
        </div>
        <LocationPicker value={location} onChange={(value) => (setLocation(value), setLocationMissing(false))} />
        {locationMissing && (
          <p className="notice notice-error" role="alert">
            {t('report.location.required')}
          </p>
        )}
        <UrgencyField value={urgency} onChange={setUrgency} />
        {urgency === 'critical' && (
          <EmergencyCall department={campus?.departments.find((department) => department.id === campus.categories.find((item) => item.code === category)?.departmentId)} />
        )}
        <div className="field">
          <label htmlFor="report-title">
            {t('incident.title')} <span className="muted">({t('common.optional')})</span>
          </label>
          <input id="report-title" maxLength={config?.titleMaxLength} value={title} onChange={(event) => setTitle(event.target.value)} aria-describedby="report-title-hint" />
          <p id="report-title-hint" className="hint">
            {t('report.titleHint')}
          </p>
        </div>
        <DescriptionField ref={descriptionInput} value={description} onChange={setDescription} max={config?.descriptionMaxLength ?? null} />
        <PhotoPicker photos={photos} onChange={setPhotos} />
        <label className="checkbox">
          <input type="checkbox" checked={anonymous} onChange={(event) => setAnonymous(event.target.checked)} />
          {t('report.anonymous')}
        </label>
        <ErrorNotice error={error} />
        <div className="button-row">
          <button type="submit" className="button-primary" disabled={busy}>
            {busy ? t('common.loading') : t('report.review')}
          </button>
        </div>
      </form>
    </div>
  );
}
