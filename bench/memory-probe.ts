/**
 * Preloaded into the bot's process (`node --require memory-probe.js dist/main.js`) for the
 * memory figures: on an IPC "start" it (runs a GC when --expose-gc is on and) records RSS and
 * heap, samples process.memoryUsage() every 10 ms, and on "stop" sends back the peaks.
 * It changes nothing else in the bot.
 */

export interface MemoryReport {
  type: 'memory';
  rssStart: number;
  rssPeak: number;
  heapStart: number;
  heapPeak: number;
  samples: number;
}

interface ProbeCommand {
  type: 'mem-start' | 'mem-stop';
}

const SAMPLE_MS = 10;

function isProbeCommand(value: unknown): value is ProbeCommand {
  const type = (value as { type?: unknown } | null)?.type;
  return type === 'mem-start' || type === 'mem-stop';
}

function startProbe(send: (message: MemoryReport) => void): void {
  let report: MemoryReport | undefined;
  let timer: NodeJS.Timeout | undefined;
  const sample = () => {
    if (!report) return;
    const usage = process.memoryUsage();
    report.rssPeak = Math.max(report.rssPeak, usage.rss);
    report.heapPeak = Math.max(report.heapPeak, usage.heapUsed);
    report.samples++;
  };
  process.on('message', (message: unknown) => {
    if (!isProbeCommand(message)) return;
    if (message.type === 'mem-start') {
      (globalThis as { gc?: () => void }).gc?.();
      const usage = process.memoryUsage();
      report = {
        type: 'memory',
        rssStart: usage.rss,
        rssPeak: usage.rss,
        heapStart: usage.heapUsed,
        heapPeak: usage.heapUsed,
        samples: 0,
      };
      timer = setInterval(sample, SAMPLE_MS);
      send({ ...report });
    } else if (report) {
      clearInterval(timer);
      sample();
      send(report);
      report = undefined;
    }
  });
  // The IPC channel must not keep the bot alive on its own.
  process.channel?.unref();
}

if (process.send) {
  const send = process.send.bind(process);
  startProbe((message) => send(message));
}
