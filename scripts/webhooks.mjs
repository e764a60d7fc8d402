#!/usr/bin/env node
/**
 * `npm run webhooks -- status|sync|remove`: runs the built command (dist/cli/webhooks.js).
 * In a clone (TypeScript installed) it compiles src/ first, so the command matches the code;
 * in a production image (dev dependencies omitted) it runs the dist/ that was shipped.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const built = path.join(root, 'dist/cli/webhooks.js');

let tsc;
try {
  tsc = require.resolve('typescript/bin/tsc');
} catch {
  tsc = undefined; // production: no dev dependencies, dist/ is what runs
}
if (tsc) {
  const compiled = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (compiled.status !== 0) process.exit(compiled.status ?? 1);
}
if (!existsSync(built)) {
  console.error('dist/cli/webhooks.js is missing: run npm run build first.');
  process.exit(2);
}
const run = spawnSync(process.execPath, [built, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? 1);
