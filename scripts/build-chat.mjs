#!/usr/bin/env node
/**
 * Builds the sandbox chat page (src/sandbox/chat/client/) into dist/chat/: one bundled,
 * minified app.js (the page's TypeScript with adaptivecards, marked and DOMPurify inside),
 * app.css and index.html. Run by `npm run build`; works offline.
 *
 * Usage: node scripts/build-chat.mjs
 */
import { copyFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const source = path.join(root, 'src/sandbox/chat/client');
const out = path.join(root, 'dist/chat');

await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
await build({
  entryPoints: [path.join(source, 'main.ts')],
  outfile: path.join(out, 'app.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome110', 'firefox110', 'safari16'],
  minify: true,
  sourcemap: true,
  legalComments: 'linked',
  // The package's own browser bundle: its lib/ build imports swiper (for 1.6 carousels, which
  // Webex does not show) without depending on it.
  alias: { adaptivecards: 'adaptivecards/dist/adaptivecards.min.js' },
  logLevel: 'warning',
});
for (const file of ['index.html', 'app.css']) {
  await copyFile(path.join(source, file), path.join(out, file));
}
console.log(`chat page built into ${path.relative(process.cwd(), out) || '.'}`);
