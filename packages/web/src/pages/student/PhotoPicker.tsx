import { useEffect, useRef, useState } from 'react';
import { FileButton } from '../../components/FileButton.js';
import { useT } from '../../i18n/index.js';

export interface PickedPhoto {
  key: string;
  file: File;
  /** An object URL for the thumbnail (none for PDFs). */
  previewUrl: string | null;
}

/** Upload progress per photo: a fraction 0..1, 'done', or an error text. */
export type UploadProgress = Record<string, number | 'done' | { error: string }>;

export const MAX_PHOTOS = 5;
export const MAX_BYTES = 10 * 1_048_576;
const ACCEPTED = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'];

let counter = 0;

export function PhotoPicker(props: { photos: PickedPhoto[]; onChange: (photos: PickedPhoto[]) => void; progress?: UploadProgress; disabled?: boolean }) {
  const { photos, onChange, progress, disabled } = props;
  const { t, number } = useT();
  const input = useRef<HTMLInputElement>(null);
  const [problem, setProblem] = useState<string | null>(null);

  // Thumbnails are object URLs: release them when the picker goes away.
  const latest = useRef(photos);
  latest.current = photos;
  useEffect(() => () => latest.current.forEach((photo) => photo.previewUrl && URL.revokeObjectURL(photo.previewUrl)), []);

  const add = (files: FileList | null) => {
    if (!files) return;
    const next = [...photos];
    let rejected: string | null = null;
    for (const file of Array.from(files)) {
      if (next.length >= MAX_PHOTOS) rejected = t('photos.tooMany', { n: MAX_PHOTOS });
      else if (!ACCEPTED.includes(file.type)) rejected = t('photos.badType', { name: file.name });
      else if (file.size > MAX_BYTES) rejected = t('photos.tooLarge', { name: file.name, n: MAX_BYTES / 1_048_576 });
      else next.push({ key: `photo-${++counter}`, file, previewUrl: file.type.startsWith('image/') ? URL.createObjectURL(file) : null });
    }
    setProblem(rejected);
    onChange(next);
    if (input.current) input.current.value = '';
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
        accept={ACCEPTED.join(',')}
        multiple
        disabled={disabled || photos.length >= MAX_PHOTOS}
        aria-describedby="photo-hint"
        onChange={(event) => add(event.target.files)}
      />
      <p id="photo-hint" className="hint">
        {t('photos.hint', { n: MAX_PHOTOS, mb: MAX_BYTES / 1_048_576 })}
      </p>
      {problem && (
        <p className="notice notice-error" role="alert">
          {problem}
        </p>
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
