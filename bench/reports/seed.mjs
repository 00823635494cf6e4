// Child process: opens the product on the bench's database (migrations, bootstrap) and seeds
// BENCH_INCIDENTS incidents with bench/lib/seed-incidents.mjs; sends the counts and timings.
import { seedIncidents } from '../lib/seed-incidents.mjs';
import { openBenchSystem } from './system.mjs';

const openedAt = performance.now();
const system = await openBenchSystem();
const openSeconds = (performance.now() - openedAt) / 1000;
let last = 0;
const result = await seedIncidents({
  store: system.store,
  tenantId: system.boot.tenantId,
  incidents: Number(process.env.BENCH_INCIDENTS ?? 1_000_000),
  now: Number(process.env.BENCH_NOW ?? Date.now()),
  onProgress: (done, total) => {
    if (done - last >= 100_000 || done === total) {
      last = done;
      console.log(`  ${process.env.BENCH_LABEL ?? ""} seeded ${done.toLocaleString('en')} / ${total.toLocaleString('en')} incidents`);
    }
  },
});
await system.close();
process.send({ type: 'seeded', result: { ...result, openSeconds } });
