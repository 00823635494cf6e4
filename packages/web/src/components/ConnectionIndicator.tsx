import { useEffect, useRef } from 'react';
import { announce } from '../announcer.js';
import { useT } from '../i18n/index.js';
import { useConnectionState } from '../live.js';

/** Live / reconnecting / offline, as a dot and a word; changes are announced. */
export function ConnectionIndicator() {
  const { t } = useT();
  const state = useConnectionState();
  const previous = useRef(state);
  useEffect(() => {
    // Announce only real changes after start-up, not the first "reconnecting".
    if (previous.current !== state && (state !== 'reconnecting' || previous.current === 'live')) announce(t(`connection.${state}`));
    previous.current = state;
  }, [state, t]);
  return (
    <span className={`connection connection-${state}`} title={t(`connection.${state}.hint`)}>
      <span className="connection-dot" aria-hidden="true" />
      {t(`connection.${state}`)}
    </span>
  );
}
