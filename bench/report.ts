/**
 * The benchmark's output: one row per figure with its target and whether it is met, printed
 * as a table and written as JSON.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface Row {
  scenario: string;
  figure: string;
  unit: 'ms' | 'MB' | 'KB' | 'calls' | '/s' | 'x' | 'count';
  median: number;
  /** The tail figure and which percentile it is (p95 unless said otherwise). */
  tail?: { label: string; value: number };
  target: string;
  /** undefined: reported, not a target. */
  met?: boolean;
  note?: string;
}

function formatNumber(value: number, unit: Row['unit']): string {
  if (!Number.isFinite(value)) return 'n/a';
  const digits = unit === 'x' ? 2 : Math.abs(value) >= 100 ? 0 : 1;
  const text = value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  return unit === 'count' || unit === 'calls' ? text : `${text}${unit === 'x' ? '×' : ` ${unit}`}`;
}

function cells(row: Row): string[] {
  const tail = row.tail ? `${row.tail.label} ${formatNumber(row.tail.value, row.unit)}` : '';
  const met = row.met === undefined ? '—' : row.met ? 'yes' : 'NO';
  return [row.figure, formatNumber(row.median, row.unit), tail, row.target, met, row.note ?? ''];
}

const HEADER = ['figure', 'median', 'tail', 'target', 'met', 'notes'];

/** A fixed-width table for the terminal. */
export function renderTable(rows: Row[]): string {
  const table = [HEADER, ...rows.map(cells)];
  const widths = HEADER.map((_, i) => Math.max(...table.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const out: string[] = [];
  let scenario = '';
  out.push(line(HEADER), widths.map((w) => '-'.repeat(w)).join('  '));
  rows.forEach((row, i) => {
    if (row.scenario !== scenario) {
      scenario = row.scenario;
      out.push(`[${scenario}]`);
    }
    out.push(line(table[i + 1]));
  });
  return out.join('\n');
}

/** The same table as Markdown (for bench/README.md). */
export function renderMarkdown(rows: Row[]): string {
  const escape = (c: string) => c.replace(/\|/g, '\\|');
  return [
    `| scenario | ${HEADER.join(' | ')} |`,
    `|${' --- |'.repeat(HEADER.length + 1)}`,
    ...rows.map((row) => `| ${[row.scenario, ...cells(row)].map(escape).join(' | ')} |`),
  ].join('\n');
}

/** Writes `bench/results/latest.json` (and the Markdown table beside it). */
export function writeResults(rows: Row[], meta: Record<string, unknown>, details: unknown): string {
  const dir = path.resolve('bench/results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'latest.json');
  writeFileSync(file, `${JSON.stringify({ meta, rows, details }, null, 2)}\n`);
  writeFileSync(path.join(dir, 'latest.md'), `${renderMarkdown(rows)}\n`);
  return file;
}
