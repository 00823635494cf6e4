import type { InAppNotification } from '@alertautec/client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { incidents } from '../api/endpoints.js';
import { getSession } from '../api/session.js';
import type { IncidentEvent } from '../api/types.js';
import { useT } from '../i18n/index.js';
import { subscribe } from '../live.js';
import { onArrival } from '../notifications/store.js';
import { Link, navigate } from '../router.js';
import { disableBrowserNotifications, enableBrowserNotifications, showBrowserNotification, useBrowserNotifications } from './browser-notifications.js';
import { beep, setSoundEnabled, useSoundEnabled } from './sound.js';

/**
 * Loud alerts for the people who handle incidents (the board and the dashboard): a new
 * critical incident or an escalation shows a toast (role=alert), plays a short beep (unless
 * switched off) and, when the user turned them on, a system notification while the page is
 * in the background. Both the incident event on the live board and the user's in-app
 * notification about it may arrive: one alert per incident and kind.
 */
type Kind = 'critical' | 'escalated';

interface Toast {
  key: string;
  incidentId: string;
  kind: Kind;
  text: string;
}

const MAX_TOASTS = 4;
/** An incident's alert of one kind is not repeated within this window (event + notification). */
const REPEAT_AFTER_MS = 60_000;

export function CriticalAlerts() {
  const { t } = useT();
  const [toasts, setToasts] = useState<Toast[]>([]);
  const shown = useRef(new Map<string, number>());
  const tRef = useRef(t);
  tRef.current = t;

  const raise = useCallback((incidentId: string, kind: Kind, text: string) => {
    const key = `${incidentId}:${kind}`;
    const last = shown.current.get(key);
    if (last !== undefined && Date.now() - last < REPEAT_AFTER_MS) return;
    shown.current.set(key, Date.now());
    setToasts((current) => [{ key: `${key}:${Date.now()}`, incidentId, kind, text }, ...current].slice(0, MAX_TOASTS));
    beep();
    const heading = tRef.current(kind === 'critical' ? 'alerts.critical' : 'alerts.escalated');
    showBrowserNotification(heading, text, key, () => navigate(`/incidents/${encodeURIComponent(incidentId)}`));
  }, []);

  useEffect(() => {
    let active = true;
    const titleOf = async (incidentId: string) => (await incidents.get(incidentId)).title;

    const onEvent = (event: IncidentEvent) => {
      if (event.actorId && event.actorId === getSession()?.user.id) return; // their own doing
      if (event.type === 'IncidentCreated' && event.urgency === 'critical') raise(event.id, 'critical', event.title);
      if (event.type === 'IncidentEscalated') {
        const level = event.level;
        void titleOf(event.id)
          .catch(() => '')
          .then((title) => active && raise(event.id, 'escalated', tRef.current('alerts.escalatedText', { level, title })));
      }
    };
    const onNotification = (notification: InAppNotification) => {
      const incidentId = notification.incidentId;
      if (!incidentId) return;
      // The frame does not say how urgent its incident is: the incident does.
      void incidents
        .get(incidentId)
        .then((incident) => {
          if (!active) return;
          if (incident.status === 'escalated') raise(incidentId, 'escalated', notification.title);
          else if (incident.urgency === 'critical') raise(incidentId, 'critical', notification.title);
        })
        .catch(() => undefined);
    };
    const stopEvents = subscribe({}, onEvent);
    const stopNotifications = onArrival(onNotification);
    return () => {
      active = false;
      stopEvents();
      stopNotifications();
    };
  }, [raise]);

  const dismiss = (key: string) => setToasts((current) => current.filter((toast) => toast.key !== key));

  return (
    <>
      <AlertControls />
      <div className="toast-stack">
        {toasts.map((toast) => (
          <div key={toast.key} className={`toast toast-${toast.kind}`} role="alert">
            <p className="toast-heading">{t(toast.kind === 'critical' ? 'alerts.critical' : 'alerts.escalated')}</p>
            <p className="toast-text">{toast.text}</p>
            <div className="toast-actions">
              <Link to={`/incidents/${encodeURIComponent(toast.incidentId)}`} className="button button-primary">
                {t('alerts.open')}
              </Link>
              <button type="button" className="button" onClick={() => dismiss(toast.key)}>
                {t('alerts.dismiss')}
              </button>
            </div>
          </div>
        ))}
      </div>
    </>
  );
}

/** The sound switch and the system-notification button, next to the page's alerts. */
function AlertControls() {
  const { t } = useT();
  const sound = useSoundEnabled();
  const system = useBrowserNotifications();
  return (
    <div className="alert-controls" role="group" aria-label={t('alerts.controls')}>
      <button type="button" className="button" aria-pressed={sound} onClick={() => setSoundEnabled(!sound)}>
        {t('alerts.sound')}
      </button>
      {system === 'off' && (
        <button type="button" className="button" onClick={() => void enableBrowserNotifications()}>
          {t('alerts.enableSystem')}
        </button>
      )}
      {system === 'on' && (
        <button type="button" className="button" onClick={disableBrowserNotifications}>
          {t('alerts.disableSystem')}
        </button>
      )}
      {system === 'denied' && <span className="hint">{t('alerts.systemDenied')}</span>}
    </div>
  );
}
