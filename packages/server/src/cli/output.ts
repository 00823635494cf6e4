/**
 * What the CLI prints: on a terminal, progress redraws one line as a bar; elsewhere (a pipe,
 * a log file, CI) it prints a plain line only when the state changes, so logs stay readable.
 */
export interface Output {
  line(text: string): void;
  error(text: string): void;
  /** `done` of `total` (null when unknown) for a task called `label`. */
  progress(label: string, done: number, total: number | null): void;
}

const BAR_WIDTH = 28;

export function createOutput(stdout: NodeJS.WriteStream = process.stdout, stderr: NodeJS.WriteStream = process.stderr): Output {
  const tty = stdout.isTTY === true;
  let drawn = false;
  let lastPlain = '';
  const clear = () => {
    if (drawn) stdout.write('\r\x1b[2K');
    drawn = false;
  };
  return {
    line(text) {
      clear();
      stdout.write(`${text}\n`);
    },
    error(text) {
      clear();
      stderr.write(`${text}\n`);
    },
    progress(label, done, total) {
      const ratio = total && total > 0 ? Math.min(1, done / total) : null;
      if (!tty) {
        const plain = ratio === null ? `${label}` : `${label}: ${done}/${total}`;
        if (plain !== lastPlain) stdout.write(`${plain}\n`);
        lastPlain = plain;
        return;
      }
      const filled = ratio === null ? 0 : Math.round(ratio * BAR_WIDTH);
      const bar = ratio === null ? '' : ` [${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${Math.round(ratio * 100)}%`;
      stdout.write(`\r\x1b[2K${label}${bar}`);
      drawn = true;
    },
  };
}
