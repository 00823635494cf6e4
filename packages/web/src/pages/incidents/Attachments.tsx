import { useEffect, useState } from 'react';
import { incidents as api } from '../../api/endpoints.js';
import { ApiError } from '../../api/http.js';
import type { IncidentEvent } from '../../api/types.js';
import { announce } from '../../announcer.js';
import { FileButton } from '../../components/FileButton.js';
import { ErrorNotice } from '../../components/ui.js';
import { useT } from '../../i18n/index.js';
import { useServerConfig } from '../../server-config.js';
import { checkFile } from '../student/file-check.js';

type AttachmentEvent = Extract<IncidentEvent, { type: 'AttachmentAdded' }>;

/**
 * One attachment. The bytes need the Authorization header, so they are fetched into a
 * blob URL; images show inline, other files open from a link.
 */
function AttachmentItem({ incidentId, attachment }: { incidentId: string; attachment: AttachmentEvent }) {
  const { t, number } = useT();
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const isImage = attachment.contentType.startsWith('image/');

  useEffect(() => {
    const controller = new AbortController();
    let objectUrl: string | null = null;
    api
      .attachment(incidentId, attachment.attachmentId, controller.signal)
      .then((blob) => {
        objectUrl = URL.createObjectURL(blob);
        setUrl(objectUrl);
      })
      .catch(() => !controller.signal.aborted && setFailed(true));
    return () => {
      controller.abort();
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [incidentId, attachment.attachmentId]);

  return (
    <li className="attachment">
      {isImage && url ? (
        <a href={url} target="_blank" rel="noreferrer" aria-label={t('attachments.open', { name: attachment.filename })}>
          <img src={url} alt={attachment.filename} loading="lazy" />
        </a>
      ) : (
        <span className="thumb-file" aria-hidden="true">
          {attachment.contentType === 'application/pdf' ? 'PDF' : '…'}
        </span>
      )}
      <span className="thumb-name">
        {url && !isImage ? (
          <a href={url} target="_blank" rel="noreferrer" download={attachment.filename}>
            {attachment.filename}
          </a>
        ) : (
          attachment.filename
        )}{' '}
        <span className="muted">({number(attachment.size / 1024)} KB)</span>
      </span>
      {failed && <span className="error-text">{t('attachments.failed')}</span>}
    </li>
  );
}

export function Attachments(props: { incidentId: string; events: IncidentEvent[]; canAttach: boolean; onUploaded: () => void }) {
  const { incidentId, events, canAttach, onUploaded } = props;
  const { t } = useT();
  const config = useServerConfig();
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const attachments = events.filter((event): event is AttachmentEvent => event.type === 'AttachmentAdded');

  const upload = async (file: File | undefined) => {
    if (!file) return;
    setError(null);
    // Judged before sending, as the server will (content and size; limits from GET /api/config).
    const problem = config && (await checkFile(file, { maxBytes: config.attachmentMaxBytes, types: config.attachmentTypes }));
    if (problem) {
      const code = problem.kind === 'tooLarge' ? 'file_too_large' : 'unsupported_file_type';
      return setError(new ApiError(problem.kind === 'tooLarge' ? 413 : 415, code, code));
    }
    setProgress(0);
    try {
      await api.attach(incidentId, file, setProgress);
      announce(t('photos.uploaded'));
      onUploaded();
    } catch (reason) {
      setError(reason);
    } finally {
      setProgress(null);
    }
  };

  return (
    <div className="stack-sm">
      {attachments.length === 0 ? (
        <p className="muted">{t('attachments.none')}</p>
      ) : (
        <ul className="thumbs attachments">
          {attachments.map((attachment) => (
            <AttachmentItem key={attachment.attachmentId} incidentId={incidentId} attachment={attachment} />
          ))}
        </ul>
      )}
      {canAttach && (
        <div className="field">
          <FileButton
            label={t('attachments.add')}
            accept={config?.attachmentTypes.join(',')}
            disabled={progress !== null}
            onChange={(event) => void upload(event.target.files?.[0]).then(() => (event.target.value = ''))}
          />
          {progress !== null && <progress max={1} value={progress} aria-label={t('attachments.uploading')} />}
          <ErrorNotice error={error} />
        </div>
      )}
    </div>
  );
}
