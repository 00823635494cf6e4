// Small statistics and process helpers shared by the workers bench.
import { fork } from 'node:child_process';

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** Nearest-rank percentile. */
export const percentile = (values, p) => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
};

export const round = (value, digits = 1) => (value === null ? null : Number(value.toFixed(digits)));

/** Forks a script and resolves with the child and its first (`ready`) message. */
export function forkReady(script, { cwd, env }) {
  return new Promise((resolve, reject) => {
    const child = fork(script, [], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const onExit = (code) => reject(new Error(`${script} exited with ${code}`));
    child.once('exit', onExit);
    child.once('message', (message) => {
      child.off('exit', onExit);
      resolve({ child, ready: message });
    });
  });
}

/** Sends a message and waits for the child's answer of the same type. */
export function ask(child, type) {
  return new Promise((resolve) => {
    const onMessage = (message) => {
      if (message.type !== type) return;
      child.off('message', onMessage);
      resolve(message);
    };
    child.on('message', onMessage);
    child.send({ type });
  });
}

export const exited = (child) => (child.exitCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', resolve)));
