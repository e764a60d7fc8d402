/**
 * The README's "How it is built" tree names every folder and module under src/, so a newcomer
 * reading it finds the whole house, and a new folder cannot land without a line there.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

function builtTree(): string {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.split('## How it is built')[1] ?? '';
  return section.split('```')[1] ?? '';
}

it('names every folder and top-level module under src/', () => {
  const tree = builtTree();
  const entries = readdirSync(path.join(ROOT, 'src'), { withFileTypes: true }).map((entry) =>
    entry.isDirectory() ? `src/${entry.name}/` : `src/${entry.name}`,
  );
  const missing = entries.filter((entry) => !tree.includes(entry));
  expect(missing).toEqual([]);
});

it('names only paths that exist', () => {
  const named = builtTree()
    .split('\n')
    .map((line) => line.split(/\s+/)[0])
    .filter((first) => first && /^[\w.-]+(\/[\w.-]*)*$/.test(first));
  expect(named.length).toBeGreaterThan(10);
  expect(named.filter((name) => !existsSync(path.join(ROOT, name)))).toEqual([]);
});
