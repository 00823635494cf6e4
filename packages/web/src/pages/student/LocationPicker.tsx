import { useEffect, useRef, useState } from 'react';
import { nearestLocations, type GeoPoint, type NearbyLocation } from '@alertautec/core';
import { catalog as api } from '../../api/endpoints.js';
import type { CampusLocation } from '../../api/types.js';
import { useCatalog } from '../../catalog.js';
import { useT } from '../../i18n/index.js';
import { useServerConfig } from '../../server-config.js';
import { LocationCombobox } from './LocationCombobox.js';

export interface LocationValue {
  code: string | null;
  text: string;
  /** Where the device said the reporter was ("Use my location"), sent with the report. */
  point?: GeoPoint | null;
}

const MAX_SUGGESTIONS = 6;
const NEARBY = 5;

type FreeTextCheck = { kind: 'match'; location: CampusLocation } | { kind: 'unknown'; suggestions: CampusLocation[] } | null;
type Nearby = { state: 'idle' } | { state: 'locating' } | { state: 'found'; places: NearbyLocation<CampusLocation>[] } | { state: 'failed'; reason: 'denied' | 'unavailable' };

/**
 * Where it happened: search the campus catalog and pick a place (a combobox), find the
 * places nearest to the device ("Use my location", nearest computed here from the catalog's
 * coordinates), and/or describe it in words. Words alone are checked against the catalog
 * (POST /api/locations/validate): a place the catalog lacks is warned about, with the
 * closest matches offered, and still accepted as free text.
 */
export function LocationPicker({ value, onChange }: { value: LocationValue; onChange: (value: LocationValue) => void }) {
  const { t, number } = useT();
  const campus = useCatalog();
  const config = useServerConfig();
  const textInput = useRef<HTMLInputElement>(null);
  const [check, setCheck] = useState<FreeTextCheck>(null);
  const [nearby, setNearby] = useState<Nearby>({ state: 'idle' });
  const [changing, setChanging] = useState(false);
  const selected = campus?.locations.find((location) => location.code === value.code) ?? null;
  const canLocate = typeof navigator !== 'undefined' && 'geolocation' in navigator;

  // Free text without a chosen place: ask the server whether the catalog knows it.
  useEffect(() => {
    const text = value.text.trim();
    if (value.code || text.length < 3) {
      setCheck(null);
      return;
    }
    const timer = window.setTimeout(() => {
      api
        .validateLocation({ locationText: text })
        .then((answer) =>
          setCheck(answer.location ? { kind: 'match', location: answer.location } : { kind: 'unknown', suggestions: answer.suggestions.slice(0, MAX_SUGGESTIONS) }),
        )
        .catch(() => setCheck(null));
    }, 400);
    return () => window.clearTimeout(timer);
  }, [value.code, value.text]);

  // After a place is chosen, the next field: the additional reference.
  const choose = (location: CampusLocation) => {
    onChange({ ...value, code: location.code });
    setNearby({ state: 'idle' });
    textInput.current?.focus();
  };

  const locate = () => {
    setNearby({ state: 'locating' });
    navigator.geolocation.getCurrentPosition(
      (position) => {
        const point = { lat: position.coords.latitude, lng: position.coords.longitude };
        onChange({ ...value, point });
        setNearby({ state: 'found', places: nearestLocations(point, campus?.locations ?? [], { limit: NEARBY }) });
      },
      (error) => setNearby({ state: 'failed', reason: error.code === error.PERMISSION_DENIED ? 'denied' : 'unavailable' }),
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  };

  return (
    <fieldset className="field location-picker">
      <legend>{t('report.location')}</legend>
      {selected ? (
        <div className="chosen-location">
          <span>
            <strong>{selected.name}</strong> <span className="muted">({selected.code})</span>
          </span>
          <button
            type="button"
            className="button-link"
            onClick={() => {
              setChanging(true);
              onChange({ ...value, code: null });
            }}
          >
            {t('report.location.change')}
          </button>
        </div>
      ) : (
        <>
          <LocationCombobox locations={campus?.locations ?? null} onChoose={choose} focusOnMount={changing} />
          {canLocate && (
            <div className="nearby">
              <button type="button" onClick={locate} disabled={nearby.state === 'locating' || !campus}>
                {nearby.state === 'locating' ? t('report.location.locating') : t('report.location.useMine')}
              </button>
              <div aria-live="polite">
                {nearby.state === 'found' && nearby.places.length === 0 && <p className="hint">{t('report.location.nothingNear')}</p>}
                {nearby.state === 'failed' && (
                  <p className="notice notice-warning">{nearby.reason === 'denied' ? t('report.location.geoDenied') : t('report.location.geoUnavailable')}</p>
                )}
                {nearby.state === 'found' && nearby.places.length > 0 && (
                  <>
                    <p className="hint" id="nearby-label">
                      {t('report.location.nearby')}
                    </p>
                    <ul className="choice-list" aria-labelledby="nearby-label">
                      {nearby.places.map(({ location, distanceMeters }) => (
                        <li key={location.code}>
                          <button type="button" className="choice" onClick={() => choose(location)}>
                            {location.name} <span className="muted">· {t('report.location.distance', { m: number(Math.round(distanceMeters)) })}</span>
                          </button>
                        </li>
                      ))}
                    </ul>
                  </>
                )}
              </div>
            </div>
          )}
        </>
      )}
      <label htmlFor="location-text">{t('report.location.text')}</label>
      <input
        ref={textInput}
        id="location-text"
        maxLength={config?.locationTextMaxLength}
        placeholder={t('report.location.textPlaceholder')}
        value={value.text}
        onChange={(event) => onChange({ ...value, text: event.target.value })}
      />
      <div aria-live="polite">
        {check?.kind === 'match' && (
          <div className="suggestions">
            <p className="hint">{t('report.location.didYouMean')}</p>
            <LocationChoices locations={[check.location]} onChoose={choose} />
          </div>
        )}
        {check?.kind === 'unknown' && (
          <div className="notice notice-warning suggestions">
            <p>{t('report.location.notInCatalog', { text: value.text.trim() })}</p>
            {check.suggestions.length > 0 ? (
              <>
                <p className="hint">{t('report.location.didYouMean')}</p>
                <LocationChoices locations={check.suggestions} onChoose={choose} />
              </>
            ) : (
              <p className="hint">{t('report.location.keptAsText')}</p>
            )}
          </div>
        )}
      </div>
    </fieldset>
  );
}

/** Places to pick from, each a button. */
function LocationChoices({ locations, onChoose }: { locations: CampusLocation[]; onChoose: (location: CampusLocation) => void }) {
  return (
    <ul className="choice-list">
      {locations.map((location) => (
        <li key={location.code}>
          <button type="button" className="choice" onClick={() => onChoose(location)}>
            {location.name} <span className="muted">· {location.code}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
