import { useEffect, useMemo, useState } from 'react';
import { catalog as api } from '../../api/endpoints.js';
import type { CampusLocation } from '../../api/types.js';
import { useCatalog } from '../../catalog.js';
import { useT } from '../../i18n/index.js';

export interface LocationValue {
  code: string | null;
  text: string;
}

const fold = (text: string) => text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
const MAX_RESULTS = 6;

/**
 * Where it happened: search the campus catalog and pick a place, and/or describe it in
 * words. Words alone are checked against the catalog (POST /api/locations/validate) and
 * matching places are offered.
 */
export function LocationPicker({ value, onChange }: { value: LocationValue; onChange: (value: LocationValue) => void }) {
  const { t } = useT();
  const campus = useCatalog();
  const [search, setSearch] = useState('');
  const [suggestions, setSuggestions] = useState<CampusLocation[]>([]);
  const selected = campus?.locations.find((location) => location.code === value.code) ?? null;

  const results = useMemo(() => {
    const words = fold(search).split(/\s+/).filter(Boolean);
    if (!campus || words.length === 0) return [];
    return campus.locations
      .filter((location) => {
        const haystack = fold(`${location.code} ${location.name} ${location.building}`);
        return words.every((word) => haystack.includes(word));
      })
      .slice(0, MAX_RESULTS);
  }, [campus, search]);

  // Free text without a chosen place: ask the server which places it might mean.
  useEffect(() => {
    const text = value.text.trim();
    if (value.code || text.length < 3) {
      setSuggestions([]);
      return;
    }
    const timer = window.setTimeout(() => {
      api
        .validateLocation({ locationText: text })
        .then((check) => setSuggestions(check.location ? [check.location] : check.suggestions.slice(0, MAX_RESULTS)))
        .catch(() => setSuggestions([]));
    }, 400);
    return () => window.clearTimeout(timer);
  }, [value.code, value.text]);

  const choose = (location: CampusLocation) => {
    onChange({ ...value, code: location.code });
    setSearch('');
  };

  return (
    <fieldset className="field location-picker">
      <legend>{t('report.location')}</legend>
      {selected ? (
        <div className="chosen-location">
          <span>
            <strong>{selected.name}</strong> <span className="muted">({selected.code})</span>
          </span>
          <button type="button" className="button-link" onClick={() => onChange({ ...value, code: null })}>
            {t('report.location.change')}
          </button>
        </div>
      ) : (
        <>
          <label htmlFor="location-search">{t('report.location.search')}</label>
          <input
            id="location-search"
            type="search"
            autoComplete="off"
            placeholder={t('report.location.searchPlaceholder')}
            aria-describedby="location-search-count"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
          />
          <p id="location-search-count" className="hint" aria-live="polite">
            {search.trim() ? t('report.location.results', { n: results.length }) : t('report.location.searchHint')}
          </p>
          {results.length > 0 && (
            <LocationChoices locations={results} onChoose={choose} label={t('report.location.resultsLabel')} />
          )}
        </>
      )}
      <label htmlFor="location-text">{t('report.location.text')}</label>
      <input
        id="location-text"
        maxLength={200}
        placeholder={t('report.location.textPlaceholder')}
        value={value.text}
        onChange={(event) => onChange({ ...value, text: event.target.value })}
      />
      {suggestions.length > 0 && (
        <div className="suggestions" aria-live="polite">
          <p className="hint">{t('report.location.didYouMean')}</p>
          <LocationChoices locations={suggestions} onChoose={choose} />
        </div>
      )}
    </fieldset>
  );
}

/** Places to pick from, each a button. */
function LocationChoices({ locations, onChoose, label }: { locations: CampusLocation[]; onChoose: (location: CampusLocation) => void; label?: string }) {
  return (
    <ul className="choice-list" aria-label={label}>
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
