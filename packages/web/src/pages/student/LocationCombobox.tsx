import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { CampusLocation } from '../../api/types.js';
import { useT } from '../../i18n/index.js';

const fold = (text: string) => text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
const MAX_RESULTS = 6;
const LISTBOX_ID = 'location-options';
const optionId = (index: number) => `location-option-${index}`;

/**
 * Searching the campus catalog, as an ARIA combobox with a list popup
 * (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/): typing filters and highlights the
 * first match; ↓/↑ move the highlight, Enter (a phone's search key too) picks it and never
 * submits the form, Escape closes the list (and, when it is closed, clears the search).
 */
export function LocationCombobox(props: { locations: CampusLocation[] | null; onChoose: (location: CampusLocation) => void; focusOnMount?: boolean }) {
  const { locations, onChoose, focusOnMount } = props;
  const { t } = useT();
  const input = useRef<HTMLInputElement>(null);
  const [search, setSearch] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);

  const results = useMemo(() => {
    const words = fold(search).split(/\s+/).filter(Boolean);
    if (!locations || words.length === 0) return [];
    return locations
      .filter((location) => {
        const haystack = fold(`${location.code} ${location.name} ${location.building}`);
        return words.every((word) => haystack.includes(word));
      })
      .slice(0, MAX_RESULTS);
  }, [locations, search]);

  useEffect(() => {
    if (focusOnMount) input.current?.focus();
  }, [focusOnMount]);

  const expanded = open && results.length > 0;
  const choose = (location: CampusLocation) => {
    setSearch('');
    setOpen(false);
    setActive(-1);
    onChoose(location);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.nativeEvent.isComposing) return;
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp': {
        if (results.length === 0) return;
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        setOpen(true);
        setActive((current) => (!expanded || current < 0 ? (step === 1 ? 0 : results.length - 1) : (current + step + results.length) % results.length));
        return;
      }
      case 'Enter':
        // Never submits the form from here: Enter picks the highlighted place, if any.
        event.preventDefault();
        if (expanded && results[active]) choose(results[active]);
        return;
      case 'Escape':
        if (expanded) {
          event.preventDefault();
          setOpen(false);
          setActive(-1);
        }
        return;
    }
  };

  return (
    <>
      <label htmlFor="location-search">{t('report.location.search')}</label>
      <input
        ref={input}
        id="location-search"
        type="search"
        role="combobox"
        enterKeyHint="search"
        autoComplete="off"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={expanded ? LISTBOX_ID : undefined}
        aria-activedescendant={expanded && active >= 0 ? optionId(active) : undefined}
        placeholder={t('report.location.searchPlaceholder')}
        aria-describedby="location-search-count"
        value={search}
        onChange={(event) => {
          setSearch(event.target.value);
          setOpen(true);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setOpen(false)}
        onFocus={() => setOpen(true)}
      />
      <p id="location-search-count" className="hint" aria-live="polite">
        {!search.trim()
          ? t('report.location.searchHint')
          : results.length > 0
            ? t('report.location.results', { n: results.length })
            : t('report.location.noMatch')}
      </p>
      {expanded && (
        <ul id={LISTBOX_ID} role="listbox" className="choice-list combobox-list" aria-label={t('report.location.resultsLabel')}>
          {results.map((location, index) => (
            // Options are not focusable: the keyboard stays in the input (aria-activedescendant).
            <li
              key={location.code}
              id={optionId(index)}
              role="option"
              aria-selected={index === active}
              className={index === active ? 'choice combobox-option is-active' : 'choice combobox-option'}
              // Keep the focus in the input while the pointer picks.
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => choose(location)}
            >
              {location.name} <span className="muted">· {location.code}</span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
