import { useRef, useState } from 'react';
import { FileButton } from '../../components/FileButton.js';
import { useT } from '../../i18n/index.js';
import { useServerConfig } from '../../server-config.js';
import { checkFile, typeLabel } from './file-check.js';

/** Releases the thumbnails' object URLs (the owner of the photos calls it when it lets them go). */
export const releasePhotos = (photos: PickedPhoto[]) => photos.forEach((photo) => photo.previewUrl && URL.revokeObjectURL(photo.previewUrl));

export interface PickedPhoto {
  key: string;
  file: File;
  /** An object URL for the thumbnail (none for PDFs). */
  previewUrl: string | null;
}

/** Upload progress per photo: a fraction 0..1, 'done', or an error text. */
export type UploadProgress = Record<string, number | 'done' | { error: string }>;

let counter = 0;

const megabytes = (bytes: number) => Math.round((bytes / 1_048_576) * 10) / 10;

export function PhotoPicker(props: {
  photos: PickedPhoto[];
  onChange: (photos: PickedPhoto[]) => void;
  progress?: UploadProgress;
  disabled?: boolean;
  /** Sends a file that failed again (the incident exists already). */
  onRetry?: (photo: PickedPhoto) => void;
}) {
  const { photos, onChange, progress, disabled, onRetry } = props;
  const { t, number, locale } = useT();
  const config = useServerConfig();
  const input = useRef<HTMLInputElement>(null);
  const [problems, setProblems] = useState<string[]>([]);
  // The limits are the server's (GET /api/config); until they arrive, nothing can be added.
  const maxCount = config?.attachmentMaxCount ?? 0;
  const types = config?.attachmentTypes ?? [];
  const typeList = new Intl.ListFormat(locale, { type: 'disjunction' }).format(types.map(typeLabel));


  // Checked here, before anything is sent: the count, the size, and the type by content.
  const add = async (files: File[]) => {
    if (!config) return;
    if (input.current) input.current.value = '';
    const next = [...photos];
    const rejected: string[] = [];
    for (const file of files) {
      if (next.length >= maxCount) {
        rejected.push(t('photos.tooMany', { n: maxCount }));
        break;
      }
      const problem = await checkFile(file, { maxBytes: config.attachmentMaxBytes, types });
      if (problem?.kind === 'tooLarge') rejected.push(t('photos.tooLarge', { name: file.name, n: number(megabytes(config.attachmentMaxBytes)) }));
      else if (problem?.kind === 'badType') rejected.push(t('photos.badContent', { name: file.name, types: typeList }));
      else next.push({ key: `photo-${++counter}`, file, previewUrl: file.type.startsWith('image/') ? URL.createObjectURL(file) : null });
    }
    setProblems(rejected);
    onChange(next);
  };

  const remove = (photo: PickedPhoto) => {
    if (photo.previewUrl) URL.revokeObjectURL(photo.previewUrl);
    onChange(photos.filter((other) => other.key !== photo.key));
  };

  return (
    <div className="field photo-picker">
      <span className="field-label" id="photo-label">
        {t('photos.label')}
      </span>
      <FileButton
        ref={input}
        label={t('photos.add')}
        accept={types.join(',')}
        multiple
        disabled={disabled || !config || photos.length >= maxCount}
        aria-describedby="photo-hint"
        onChange={(event) => void add(Array.from(event.target.files ?? []))}
      />
      <p id="photo-hint" className="hint">
        {config ? t('photos.limits', { n: maxCount, types: typeList, mb: number(megabytes(config.attachmentMaxBytes)) }) : t('common.loading')}
      </p>
      {problems.length > 0 && (
        <div className="notice notice-error" role="alert">
          {problems.map((problem, index) => (
            <p key={index}>{problem}</p>
          ))}
        </div>
      )}
      {photos.length > 0 && (
        <ul className="thumbs" aria-label={t('photos.chosen')}>
          {photos.map((photo) => {
            const state = progress?.[photo.key];
            return (
              <li key={photo.key} className="thumb">
                {photo.previewUrl ? <img src={photo.previewUrl} alt={t('photos.previewOf', { name: photo.file.name })} /> : <span className="thumb-file">PDF</span>}
                <span className="thumb-name">
                  {photo.file.name} <span className="muted">({number(photo.file.size / 1024)} KB)</span>
                </span>
                {typeof state === 'number' && (
                  <progress max={1} value={state} aria-label={t('photos.uploading', { name: photo.file.name })}>
                    {Math.round(state * 100)}%
                  </progress>
                )}
                {state === 'done' && <span className="ok">{t('photos.uploaded')}</span>}
                {typeof state === 'object' && <span className="error-text">{state.error}</span>}
                {typeof state === 'object' && onRetry && (
                  <button type="button" onClick={() => onRetry(photo)} aria-label={t('photos.retryNamed', { name: photo.file.name })}>
                    {t('photos.retry')}
                  </button>
                )}
                {!disabled && (
                  <button type="button" className="button-link" onClick={() => remove(photo)} aria-label={t('photos.removeNamed', { name: photo.file.name })}>
                    {t('photos.remove')}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
