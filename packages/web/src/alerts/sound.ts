import { useSyncExternalStore } from 'react';

/**
 * The alert sound: a short two-tone beep made with the Web Audio API (no audio file to
 * fetch or allow in the CSP). Whether it plays is the user's choice, kept in localStorage.
 * Browsers start audio only after the user has interacted with the page; before that the
 * beep is silently dropped (the toast still shows).
 */
const STORAGE_KEY = 'alertautec.alertSound';
const listeners = new Set<() => void>();
let enabled = readEnabled();
let context: AudioContext | undefined;

function readEnabled(): boolean {
  try {
    return window.localStorage.getItem(STORAGE_KEY) !== 'off';
  } catch {
    return true;
  }
}

export function setSoundEnabled(next: boolean): void {
  enabled = next;
  window.localStorage.setItem(STORAGE_KEY, next ? 'on' : 'off');
  listeners.forEach((listener) => listener());
}

export function useSoundEnabled(): boolean {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    () => enabled,
  );
}

/** Plays the alert beep unless the user switched sound off. */
export function beep(): void {
  if (!enabled) return;
  try {
    const Context = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Context) return;
    context ??= new Context();
    if (context.state === 'suspended') void context.resume().catch(() => undefined);
    const start = context.currentTime;
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.type = 'sine';
    oscillator.frequency.setValueAtTime(880, start);
    oscillator.frequency.setValueAtTime(660, start + 0.18);
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(0.25, start + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.4);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(start);
    oscillator.stop(start + 0.42);
  } catch {
    // No audio (a browser without it, or a device refusing): the toast is the alert.
  }
}
