import { useSyncExternalStore } from 'react';

/**
 * Optional system notifications for critical alerts. Permission is asked only when the user
 * presses the button (never on load); the choice to use them is kept in localStorage.
 */
const STORAGE_KEY = 'alertautec.browserNotifications';
const listeners = new Set<() => void>();
const notify = () => listeners.forEach((listener) => listener());

export type BrowserNotificationState = 'unsupported' | 'denied' | 'off' | 'on';

const supported = () => typeof window !== 'undefined' && 'Notification' in window;

function currentState(): BrowserNotificationState {
  if (!supported()) return 'unsupported';
  if (Notification.permission === 'denied') return 'denied';
  return Notification.permission === 'granted' && window.localStorage.getItem(STORAGE_KEY) === 'on' ? 'on' : 'off';
}

export function useBrowserNotifications(): BrowserNotificationState {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    currentState,
  );
}

/** Asks for permission (from a click) and switches them on when granted. */
export async function enableBrowserNotifications(): Promise<BrowserNotificationState> {
  if (!supported()) return 'unsupported';
  const permission = Notification.permission === 'default' ? await Notification.requestPermission() : Notification.permission;
  if (permission === 'granted') window.localStorage.setItem(STORAGE_KEY, 'on');
  notify();
  return currentState();
}

export function disableBrowserNotifications(): void {
  window.localStorage.setItem(STORAGE_KEY, 'off');
  notify();
}

/** Shows a system notification when they are on and the page is not in front of the user. */
export function showBrowserNotification(title: string, body: string, tag: string, onClick: () => void): void {
  if (currentState() !== 'on' || (document.visibilityState === 'visible' && document.hasFocus())) return;
  try {
    const notification = new Notification(title, { body, tag, lang: document.documentElement.lang });
    notification.onclick = () => {
      window.focus();
      onClick();
      notification.close();
    };
  } catch {
    // Some browsers allow them only from a service worker: the toast and the sound remain.
  }
}
