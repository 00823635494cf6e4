import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { alerta as runAlerta } from '../helpers/cli.js';
import { tempDir } from '../helpers/databases.js';
import { parseCsv } from './csv-parse.js';

/** `npm run alerta -- report …` as an operator runs it, in a child process on a fresh SQLite data directory. */
const DATA_DIR = tempDir('alertautec-report-cli-');
after(() => fs.rmSync(DATA_DIR, { recursive: true, force: true }));

const alerta = (args: string[]) => runAlerta(args, { DATA_DIR });

describe('npm run alerta -- report', () => {
  it('report global --out writes the JSON (or CSV) and exits 0; plain progress lines off a terminal; bad input exits 2', async () => {
    const out = path.join(DATA_DIR, 'global.json');
    const json = await alerta(['report', 'global', '--out', out]);
    assert.equal(json.code, 0, json.stderr + json.stdout);
    assert.match(json.stdout, /report global written to reports\/global\/reporte_\d{4}-\d{2}-\d{2}_\d{2}-\d{2}(_\d+)?\.json/);
    assert.ok(!json.stdout.includes('\r') && !json.stdout.includes('\u001b['), 'no bar redraws when stdout is not a terminal');
    const content = JSON.parse(fs.readFileSync(out, 'utf8'));
    assert.equal(content.kind, 'global');
    assert.deepEqual(content.totals, { incidents: 0, open: 0, slaBreaches: 0 });

    const csvOut = path.join(DATA_DIR, 'global.csv');
    const csv = await alerta(['report', 'global', '--from', '2026-01-01', '--to', '2026-01-31', '--out', csvOut]);
    assert.equal(csv.code, 0, csv.stderr);
    const rows = parseCsv(fs.readFileSync(csvOut, 'utf8'));
    assert.deepEqual(rows[0], ['section', 'key', 'label', 'value']);
    assert.equal(rows.find((r) => r[0] === 'report' && r[1] === 'from')?.[3], '2026-01-01T05:00:00.000Z', 'a day is a campus (Lima) day');

    const bad = await alerta(['report', 'global', '--from', 'yesterday']);
    assert.equal(bad.code, 2);
    const missing = await alerta(['report', 'department', 'no-such-department']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /Department was not found/);
  });
});
