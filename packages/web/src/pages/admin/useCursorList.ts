import { useState } from 'react';
import type { Page } from '../../api/types.js';
import { useLoad } from '../../hooks.js';

export interface CursorList<T> {
  items: T[] | undefined;
  error: unknown;
  loading: boolean;
  hasMore: boolean;
  loadMore: () => void;
  reload: () => void;
  /** Changes one loaded item in place (after the server confirmed the change). */
  update: (match: (item: T) => boolean, change: (item: T) => T) => void;
}

/** A paged admin list: the first page when `deps` change, then "load more" by cursor. */
export function useCursorList<T>(load: (cursor: string | null) => Promise<Page<T>>, deps: readonly unknown[]): CursorList<T> {
  const [moreError, setMoreError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const list = useLoad(async () => {
    setMoreError(null);
    return load(null);
  }, deps);

  const loadMore = () => {
    const cursor = list.data?.nextCursor;
    if (!cursor || loadingMore) return;
    setLoadingMore(true);
    load(cursor)
      .then((next) => list.setData((current) => ({ items: [...(current?.items ?? []), ...next.items], nextCursor: next.nextCursor })))
      .catch(setMoreError)
      .finally(() => setLoadingMore(false));
  };

  return {
    items: list.data?.items,
    error: list.error ?? moreError,
    loading: list.loading || loadingMore,
    hasMore: Boolean(list.data?.nextCursor),
    loadMore,
    reload: list.reload,
    update: (match, change) =>
      list.setData((current) => current && { ...current, items: current.items.map((item) => (match(item) ? change(item) : item)) }),
  };
}
