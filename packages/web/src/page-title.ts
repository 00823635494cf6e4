/**
 * The document title: the page's own name, prefixed with "(N)" while the user has N unread
 * notifications, so a background tab shows that something arrived.
 */
let base = 'AlertaUTEC';
let unread = 0;

function apply(): void {
  document.title = unread > 0 ? `(${unread}) ${base}` : base;
}

/** The page's name (PageTitle calls it); the app name is added here. */
export function setPageTitle(name: string): void {
  base = `${name} · AlertaUTEC`;
  apply();
}

export function setUnreadInTitle(count: number): void {
  unread = count;
  apply();
}
