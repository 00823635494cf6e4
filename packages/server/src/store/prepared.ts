import { CompiledQuery, type Compilable } from 'kysely';
import type { Db } from './executor.js';

/**
 * A query built once with Kysely and then run with fresh parameters, skipping the builder
 * and compiler on hot paths. `build` receives placeholder values and must use each one
 * exactly once, in the order of `parameters`' keys; the compiled parameter list is checked
 * against them, so a query whose shape depends on the values is refused at first use.
 */
export function prepared<P extends object>(build: (db: Db, values: P) => Compilable, names: readonly (keyof P)[]) {
  const compiled = new WeakMap<object, { sql: string; order: (keyof P)[] }>();
  return async <R = unknown>(db: Db, values: P) => {
    const executor = db.getExecutor();
    let entry = compiled.get(executor.adapter);
    if (!entry) {
      const markers = Object.fromEntries(names.map((name, i) => [name, `\u0000param${i}\u0000`])) as unknown as P;
      const query = build(db, markers).compile();
      const order = query.parameters.map((value) => {
        const index = names.findIndex((_name, i) => value === `\u0000param${i}\u0000`);
        if (index < 0) throw new Error(`prepared query has a parameter that is not one of ${names.join(', ')}`);
        return names[index]!;
      });
      entry = { sql: query.sql, order };
      compiled.set(executor.adapter, entry);
    }
    const result = await db.executeQuery<R>(CompiledQuery.raw(entry.sql, entry.order.map((name) => values[name] as unknown)));
    return result;
  };
}
