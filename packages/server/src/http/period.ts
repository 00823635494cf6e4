import { validationError } from '@alertautec/core';

/** A period of time, epoch ms: [from, to), either end open (null). */
export interface Period {
  from: number | null;
  to: number | null;
}

const instant = (value: string | undefined, path: string) => {
  if (value === undefined) return null;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw validationError('The period is not valid.', [{ path, message: 'must be an ISO 8601 date-time' }]);
  return ms;
};

/** `from`/`to` as given (ISO 8601 date-times) → epoch ms; 400 `invalid_period` when it ends before it starts. */
export function periodOf(input: { from?: string; to?: string }): Period {
  const from = instant(input.from, '/from');
  const to = instant(input.to, '/to');
  if (from !== null && to !== null && from >= to) throw validationError('The period ends before it starts.', [{ path: '/to', message: 'must be after from' }], 'invalid_period');
  return { from, to };
}
