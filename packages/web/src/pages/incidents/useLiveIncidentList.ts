import { seesDepartment } from '@alertautec/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import { incidents as api } from '../../api/endpoints.js';
import type { Incident, IncidentEvent, IncidentFilters } from '../../api/types.js';
import { getSession } from '../../api/session.js';
import { subscribe } from '../../live.js';
import { placeInOrder } from './live-order.js';

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

/**
 * Whether a row we show stays after a reassignment: staff see their department's incidents
 * only (core's visibility policy), and a department filter keeps its department's.
 */
function staysAfterReassignment(filters: IncidentFilters, incident: Incident): boolean {
  const user = getSession()?.user;
  if (user && seesDepartment(user) && incident.departmentId !== user.departmentId) return false;
  return !filters.departmentId || incident.departmentId === filters.departmentId;
}

/** Applies what an event says to a row we already show, without a round trip. */
function applyEvent(incident: Incident, event: IncidentEvent): Incident {
  switch (event.type) {
    case 'IncidentStatusChanged':
    case 'IncidentEscalated':
      return { ...incident, status: event.status, updatedAt: event.updatedAt, version: incident.version + 1 };
    case 'DepartmentAssigned':
      return { ...incident, departmentId: event.departmentId, updatedAt: event.at, version: incident.version + 1 };
    case 'IncidentAffected':
      // Only the count moves (the server changes neither the version nor updatedAt).
      return { ...incident, affectedCount: event.affectedCount };
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
 * A paginated incident list in the server's order, kept current by live events: rows that
 * change are updated, highlighted and moved where the order puts them; new matching
 * incidents appear at their place in the order (or, past the loaded pages, when "load more"
 * reaches them); a resync refetches.
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
  const hasMoreRef = useRef(false);
  hasMoreRef.current = cursor !== null;
  const filtersKey = JSON.stringify(filters);
  const filtersRef = useRef(filters);
  filtersRef.current = filters;
  const errorRef = useRef(error);
  errorRef.current = error;
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
          // A fetch that failed while the connection was down (a filter changed meanwhile): again, now.
          onReconnected: () => errorRef.current && reload(),
          onEvent: (event) => {
            const known = itemsRef.current.find((incident) => incident.id === event.id);
            if (known) {
              const updated = applyEvent(known, event);
              // Reassigned away from what this list may show: it leaves at once, not at the next reload.
              if (event.type === 'DepartmentAssigned' && !staysAfterReassignment(filtersRef.current, updated)) {
                setItems((current) => current.filter((row) => row.id !== event.id));
                return;
              }
              // It may move (urgency, due and updated orders): to where the order now puts it.
              setItems((current) => placeInOrder(current, updated, filtersRef.current.sort, hasMoreRef.current));
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
                setItems((current) =>
                  current.some((row) => row.id === incident.id) ? current : placeInOrder(current, incident, filtersRef.current.sort, hasMoreRef.current),
                );
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
