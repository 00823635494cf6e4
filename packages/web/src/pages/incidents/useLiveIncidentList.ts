import { useCallback, useEffect, useRef, useState } from 'react';
import { incidents as api } from '../../api/endpoints.js';
import type { Incident, IncidentEvent, IncidentFilters } from '../../api/types.js';
import { subscribe } from '../../live.js';

const HIGHLIGHT_MS = 6_000;

/** Whether an incident belongs in a list with these filters (for rows that arrive live). */
export function matchesFilters(filters: IncidentFilters, incident: Incident): boolean {
  if (filters.status?.length && !filters.status.includes(incident.status)) return false;
  if (filters.urgency?.length && !filters.urgency.includes(incident.urgency)) return false;
  if (filters.category && incident.category !== filters.category) return false;
  if (filters.departmentId && incident.departmentId !== filters.departmentId) return false;
  if (filters.q) {
    const q = filters.q.toLowerCase();
    if (!`${incident.title} ${incident.description}`.toLowerCase().includes(q)) return false;
  }
  return true;
}

/** Applies what an event says to a row we already show, without a round trip. */
function applyEvent(incident: Incident, event: IncidentEvent): Incident {
  switch (event.type) {
    case 'IncidentStatusChanged':
    case 'IncidentEscalated':
      return { ...incident, status: event.status, updatedAt: event.updatedAt, version: incident.version + 1 };
    case 'DepartmentAssigned':
      return { ...incident, departmentId: event.departmentId, updatedAt: event.at, version: incident.version + 1 };
    default:
      return { ...incident, updatedAt: event.at };
  }
}

export interface LiveIncidentList {
  items: Incident[];
  loading: boolean;
  error: unknown;
  hasMore: boolean;
  loadMore: () => void;
  reload: () => void;
  /** Rows changed by a live event in the last few seconds. */
  highlighted: ReadonlySet<string>;
  replace: (incident: Incident) => void;
}

/**
 * A paginated incident list kept current by live events: rows that change are updated
 * and highlighted, new matching incidents appear at the top, and a resync refetches.
 */
export function useLiveIncidentList(filters: IncidentFilters, onLiveChange?: (incident: Incident, event: IncidentEvent) => void): LiveIncidentList {
  const [items, setItems] = useState<Incident[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [highlighted, setHighlighted] = useState<ReadonlySet<string>>(new Set());
  const [generation, setGeneration] = useState(0);
  const itemsRef = useRef(items);
  itemsRef.current = items;
  const filtersKey = JSON.stringify(filters);
  const filtersRef = useRef(filters);
  filtersRef.current = filters;
  const onChangeRef = useRef(onLiveChange);
  onChangeRef.current = onLiveChange;

  useEffect(() => {
    let stale = false;
    setLoading(true);
    api
      .list(filtersRef.current)
      .then((page) => {
        if (stale) return;
        setItems(page.items);
        setCursor(page.nextCursor);
        setError(null);
      })
      .catch((reason: unknown) => !stale && setError(reason))
      .finally(() => !stale && setLoading(false));
    return () => {
      stale = true;
    };
  }, [filtersKey, generation]);

  const highlight = useCallback((id: string) => {
    setHighlighted((current) => new Set(current).add(id));
    window.setTimeout(
      () =>
        setHighlighted((current) => {
          const next = new Set(current);
          next.delete(id);
          return next;
        }),
      HIGHLIGHT_MS,
    );
  }, []);

  const reload = useCallback(() => setGeneration((value) => value + 1), []);

  useEffect(
    () =>
      subscribe(
        {},
        {
          onResync: reload,
          onEvent: (event) => {
            const known = itemsRef.current.find((incident) => incident.id === event.id);
            if (known) {
              const updated = applyEvent(known, event);
              setItems((current) => current.map((incident) => (incident.id === event.id ? updated : incident)));
              highlight(event.id);
              onChangeRef.current?.(updated, event);
              return;
            }
            // A new incident, or one that just became visible (assigned to our department).
            if (event.type !== 'IncidentCreated' && event.type !== 'DepartmentAssigned') return;
            api
              .get(event.id)
              .then((incident) => {
                if (!matchesFilters(filtersRef.current, incident)) return;
                setItems((current) => (current.some((row) => row.id === incident.id) ? current : [incident, ...current]));
                highlight(incident.id);
                onChangeRef.current?.(incident, event);
              })
              .catch(() => undefined); // 404: not ours to see after all
          },
        },
      ),
    [highlight, reload],
  );

  const loadMore = useCallback(() => {
    if (!cursor) return;
    setLoading(true);
    api
      .list(filtersRef.current, cursor)
      .then((page) => {
        setItems((current) => [...current, ...page.items.filter((incident) => !current.some((row) => row.id === incident.id))]);
        setCursor(page.nextCursor);
      })
      .catch(setError)
      .finally(() => setLoading(false));
  }, [cursor]);

  const replace = useCallback((incident: Incident) => setItems((current) => current.map((row) => (row.id === incident.id ? incident : row))), []);

  return { items, loading, error, hasMore: cursor !== null, loadMore, reload, highlighted, replace };
}
