/**
 * Child processes for the benchmark: starting `node` with a script, waiting for
 * an HTTP endpoint, reading a process's RSS, and stopping it cleanly.
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface NodeChild {
  child: ChildProcess;
  /** performance.now() just before spawn. */
  spawnedAt: number;
}

/**
 * Starts `node [nodeArgs] script` with `env` added to this process's environment.
 * `ipc` adds an IPC channel (for the memory probe and the ingest server).
 */
export function startNode(
  script: string,
  env: Record<string, string>,
  options: { nodeArgs?: string[]; ipc?: boolean; quiet?: boolean } = {},
): NodeChild {
  const out = options.quiet ? 'ignore' : 'inherit';
  const stdio: StdioOptions = options.ipc
    ? ['ignore', out, 'inherit', 'ipc']
    : ['ignore', out, 'inherit'];
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), script], {
    env: { ...process.env, ...env },
    stdio,
  });
  return { child, spawnedAt };
}

/** Resident set size of a process in bytes, from /proc (Linux). */
export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
  return kb ? Number(kb) * 1024 : Number.NaN;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export { sleep };

/**
 * Polls `url` (one request at a time, `intervalMs` apart) until it answers 200.
 * @returns performance.now() when it did.
 */
export async function waitFor200(
  url: string,
  child: ChildProcess,
  timeoutMs = 30_000,
  intervalMs = 10,
): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`process exited (${child.exitCode}) before ${url} was ready`);
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.status === 200) return performance.now();
    } catch {
      // not listening yet
    }
    await sleep(intervalMs);
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
export async function stopChild(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
