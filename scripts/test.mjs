#!/usr/bin/env node
// Runs every test file (or the ones named) with Node's test runner, TypeScript via tsx,
// resolving workspace packages to their sources (the "source" export condition).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

function findTests(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : findTests(full);
    return /\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

const named = process.argv.slice(2);
const files = named.length > 0 ? named : fs.readdirSync(path.join(root, 'packages')).flatMap((pkg) => findTests(path.join(root, 'packages', pkg, 'test'))).sort();

const result = spawnSync(
  process.execPath,
  ['--conditions=source', '--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=120000', '--test-reporter=./scripts/reporter.mjs', ...files],
  { stdio: 'inherit', cwd: root },
);
process.exit(result.status ?? 1);
