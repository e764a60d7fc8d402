#!/usr/bin/env node
/**
 * Runs a TypeScript tool script (such as scripts/screenshots.ts) with Node: esbuild bundles it
 * into dist/tools/, and every import of the project's own src/ is pointed at its build in
 * dist/ (so `npm run build` first), where paths such as cards/ resolve as in production.
 *
 * Usage: node scripts/run-ts.mjs scripts/screenshots.ts [args…]
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = path.join(root, 'src');
const distDir = path.join(root, 'dist');

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run-ts.mjs <script.ts> [args…]');
  process.exit(2);
}
const outfile = path.join(distDir, 'tools', `${path.basename(entry, '.ts')}.cjs`);

/** Resolves `…/src/x` imports to `dist/x.js`, left as requires rather than bundled. */
const useBuiltSrc = {
  name: 'use-built-src',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^\.\.?\// }, (args) => {
      const target = path.resolve(args.resolveDir, args.path);
      if (!target.startsWith(srcDir + path.sep)) return undefined;
      const built = path.join(
        distDir,
        `${path.relative(srcDir, target).replace(/\.[cm]?[jt]s$/, '')}.js`,
      );
      if (!existsSync(built)) {
        return {
          errors: [{ text: `${path.relative(root, built)} is missing: run npm run build` }],
        };
      }
      return { path: `./${path.relative(path.dirname(outfile), built)}`, external: true };
    });
  },
};

await build({
  entryPoints: [path.resolve(entry)],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  sourcemap: 'inline',
  logLevel: 'warning',
  plugins: [useBuiltSrc],
});
process.argv = [process.argv[0], outfile, ...args];
await import(pathToFileURL(outfile).href);
