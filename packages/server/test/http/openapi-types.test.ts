import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, it } from 'node:test';
import { tempDir } from '../helpers/databases.js';

// The web app's API types are generated from this server's OpenAPI document
// (scripts/api-types.mjs; docs/api.md "Types for clients"). The committed file must be what the
// server says today, and the check must notice when it is not: that is what makes a change of
// the API break the web app's build (npm run typecheck runs the check, then compiles the web
// app against the file).
const root = path.resolve(import.meta.dirname, '../../../..');
const committed = path.join(root, 'packages/web/src/api/openapi.gen.ts');
const dir = tempDir('alertautec-api-types-');
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function check(file: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['scripts/api-types.mjs', '--check'], { cwd: root, env: { ...process.env, API_TYPES_FILE: file } }, (error, _stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stderr }),
    );
  });
}

it('the committed web API types are what the OpenAPI document says, and a stale copy is refused', async () => {
  const current = await check(committed);
  assert.equal(current.code, 0, current.stderr);

  const text = fs.readFileSync(committed, 'utf8');
  assert.match(text, /affectedCount: number;/);
  const stale = path.join(dir, 'openapi.gen.ts');
  fs.writeFileSync(stale, text.replace('affectedCount: number;', 'affectedCount: string;'));
  const refused = await check(stale);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /is not what the server's OpenAPI document says/);
});
