import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * The process logger: pino JSON lines on stdout that never block the event loop.
 *
 * pino's default destination writes synchronously: when stdout is a pipe nobody reads (a
 * stalled log collector), the write spins and the whole process stops — requests, timers,
 * even the shutdown deadline. Here lines go to process.stdout, which for a pipe or socket
 * is a non-blocking libuv stream, and whatever the reader has not taken yet is held in
 * memory up to `bufferBytes`; past that, lines are dropped (and counted) instead of
 * growing memory without limit. Nothing here flushes synchronously on exit, so exit
 * cannot hang on a full pipe either.
 */
export interface LoggerOptions {
  level: string;
  /** Most bytes of log lines held for a slow reader before new lines are dropped. */
  bufferBytes: number;
}

const REDACT = ['req.headers.authorization', 'req.headers["x-api-key"]'];

/** The part of a Writable the bounded destination needs (process.stdout in production). */
export interface LogOutput {
  write(chunk: string): boolean;
  readonly writableLength: number;
  on(event: 'error', listener: (error: Error) => void): unknown;
  once(event: 'drain', listener: () => void): unknown;
  removeListener(event: 'drain', listener: () => void): unknown;
}

export interface BoundedDestination extends DestinationStream {
  /** Lines dropped since start because the reader fell `bufferBytes` behind. */
  dropped(): number;
  /** Resolves once what is buffered has been written, or after `timeoutMs` regardless. */
  drain(timeoutMs: number): Promise<void>;
}

export function boundedDestination(output: LogOutput, bufferBytes: number): BoundedDestination {
  let dropped = 0;
  let droppedUnreported = 0;
  let broken = false;
  // A reader that went away (EPIPE) must not take the process down with it: stop logging.
  output.on('error', () => {
    broken = true;
  });
  return {
    write(line: string) {
      if (broken) return;
      if (output.writableLength + line.length > bufferBytes) {
        dropped++;
        droppedUnreported++;
        return;
      }
      if (droppedUnreported > 0) {
        // Say so in the log itself once the reader catches up, so the gap is visible.
        output.write(`${JSON.stringify({ level: 40, time: Date.now(), dropped: droppedUnreported, msg: 'log lines dropped: the log reader fell behind' })}\n`);
        droppedUnreported = 0;
      }
      output.write(line);
    },
    dropped: () => dropped,
    drain: (timeoutMs) =>
      new Promise<void>((resolve) => {
        if (broken || output.writableLength === 0) return resolve();
        const done = () => {
          clearTimeout(timer);
          output.removeListener('drain', done);
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        timer.unref();
        output.once('drain', done);
      }),
  };
}

/** `destination` replaces stdout (tests that read what was logged); it is then not bounded here. */
export function createLogger(options: LoggerOptions, destination?: DestinationStream): Logger {
  const stream = destination ?? stdoutDestination(options.bufferBytes);
  return pino({ level: options.level, redact: REDACT }, stream);
}

let stdout: BoundedDestination | undefined;

/** One bounded destination over process.stdout per process, shared by every logger in it. */
function stdoutDestination(bufferBytes: number): BoundedDestination {
  stdout ??= boundedDestination(process.stdout, bufferBytes);
  return stdout;
}

/** Gives buffered log lines up to `timeoutMs` to reach stdout (before a deliberate exit). */
export function drainLogs(timeoutMs: number): Promise<void> {
  return stdout ? stdout.drain(timeoutMs) : Promise.resolve();
}
