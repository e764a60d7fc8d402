#!/usr/bin/env node
/**
 * `npm run webhooks -- status|sync|remove`. In a clone (tsx, a dev dependency, installed) it
 * runs src/cli/webhooks.ts directly, so the command matches the code without rebuilding
 * dist/ (which a local bot may be running from); in a production image (dev dependencies
 * omitted, no src/) it runs the dist/cli/webhooks.js that was shipped.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const source = path.join(root, 'src/cli/webhooks.ts');
const built = path.join(root, 'dist/cli/webhooks.js');

function hasTsx() {
  try {
    require.resolve('tsx');
    return true;
  } catch {
    return false; // production: no dev dependencies, dist/ is what runs
  }
}

const args = process.argv.slice(2);
let entry;
if (hasTsx() && existsSync(source)) {
  entry = ['--import', 'tsx', source];
} else if (existsSync(built)) {
  entry = [built];
} else {
  console.error('dist/cli/webhooks.js is missing: run npm run build first.');
  process.exit(2);
}
const run = spawnSync(process.execPath, [...entry, ...args], {
  cwd: process.cwd(),
  stdio: 'inherit',
});
process.exit(run.status ?? 1);
