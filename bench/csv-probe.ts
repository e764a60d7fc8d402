/**
 * CSV export of 10,000 access records in a process of its own (no sandbox, no bot): streams
 * src/report/csv.ts's accessCsv over the records as the bot receives them (times in the
 * requester's zone) and reports time, size and peak RSS / heap growth (process.memoryUsage()
 * every 10 ms, after a GC). Sends one JSON result over IPC. Needs --expose-gc.
 */
import { accessCsv } from '../src/report/csv';
import { externalTest } from '../src/report/organisation';
import { generateAccessRecords } from '../src/sandbox/seed-recordings';
import { formatInZone } from '../src/sandbox/recording-report';
import type { AccessRecord } from '../src/report/types';

export interface CsvProbeResult {
  ms: number;
  bytes: number;
  rssGrowth: number;
  heapGrowth: number;
}

const ZONE = 'Europe/Paris';

function records(count: number): AccessRecord[] {
  const now = Date.now();
  return generateAccessRecords(count, {
    seed: 'csv',
    fromMs: now - 30 * 86_400_000,
    toMs: now,
  }).map((r) => ({
    recordingId: 'bench',
    topic: 'Bench CSV',
    ...r,
    accessTime: formatInZone(r.accessTime, ZONE),
  }));
}

async function measure(count: number): Promise<CsvProbeResult> {
  const input = records(count);
  (globalThis as { gc?: () => void }).gc?.();
  const start = process.memoryUsage();
  let rssPeak = start.rss;
  let heapPeak = start.heapUsed;
  const sample = () => {
    const usage = process.memoryUsage();
    rssPeak = Math.max(rssPeak, usage.rss);
    heapPeak = Math.max(heapPeak, usage.heapUsed);
  };
  const timer = setInterval(sample, 10);
  const began = performance.now();
  let bytes = 0;
  for await (const chunk of accessCsv(input, ZONE, externalTest([], 'host@example.com'))) {
    bytes += Buffer.byteLength(chunk as Buffer | string);
  }
  const ms = performance.now() - began;
  clearInterval(timer);
  sample();
  return { ms, bytes, rssGrowth: rssPeak - start.rss, heapGrowth: heapPeak - start.heapUsed };
}

measure(Number(process.env.CSV_RECORDS ?? 10_000))
  .then((result) => process.send?.(result))
  .catch((err: unknown) => {
    process.stderr.write(`csv probe failed: ${String(err)}\n`);
    process.exit(1);
  });
