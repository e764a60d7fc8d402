/**
 * CPU per answer, measured from outside the answering process: user + system time of the
 * bot's process (all its threads, from /proc/<pid>/stat) over a round of sequential
 * exchanges with no added latency, divided by the exchanges in the round. The sandbox runs in
 * the benchmark's process, so its CPU is not counted.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { SandboxMessage } from '../src/sandbox/state';
import { sleep } from './processes';
import { summarize, type Summary } from './stats';
import { exchange, type BenchContext } from './turnaround';

let ticksPerSecond: number | undefined;

/** Clock ticks per second of /proc's utime and stime (`getconf CLK_TCK`, nearly always 100). */
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    } catch {
      ticksPerSecond = 100;
    }
    if (!Number.isFinite(ticksPerSecond) || ticksPerSecond <= 0) ticksPerSecond = 100;
  }
  return ticksPerSecond;
}

/**
 * Parses utime + stime (fields 14 and 15) of a /proc/<pid>/stat line into ms. The command
 * name (field 2) is in parentheses and may hold spaces, so fields are counted after the last ')'.
 * @example cpuMsFromStat('42 (node) S 1 2 3 4 5 6 7 8 9 10 150 50 0 0', 100) // 2000
 */
export function cpuMsFromStat(stat: string, ticks: number): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so utime (14) and stime (15) are at 11 and 12.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) {
    throw new Error(`unexpected /proc stat line: ${stat.slice(0, 80)}`);
  }
  return ((utime + stime) * 1000) / ticks;
}

/** User + system CPU time in ms that process `pid` has used so far (Linux). */
export function processCpuMs(pid: number): number {
  return cpuMsFromStat(readFileSync(`/proc/${pid}/stat`, 'utf8'), clockTicks());
}

export interface CpuCellOptions {
  /** The answering process. */
  pid: number;
  botKey: string;
  text: string;
  /** Sequential exchanges before measuring (not counted). */
  warmUp: number;
  rounds: number;
  /** Sequential exchanges per round. */
  perRound: number;
  check: (answer: SandboxMessage) => boolean;
}

export interface CpuCellResult {
  /** CPU ms per exchange, one value per round. */
  perExchange: Summary;
  rounds: number[];
  /** Exchanges per round. */
  perRound: number;
  /** Wall-clock ms per exchange, one value per round (no added latency). */
  wallPerExchange: number[];
  failures: number;
}

/** Lets the answering process finish what it does right after an answer (store, logs). */
const SETTLE_MS = 30;

/**
 * Runs the warm-up, then `rounds` rounds of `perRound` exchanges one after the other (users
 * rotate), reading the process's CPU time before and after each round. The caller sets the
 * sandbox's added latency to 0 first.
 * @example await cpuCell(ctx, { pid, botKey: 'audit', text: 'audit x', warmUp: 50, rounds: 5, perRound: 100, check })
 */
export async function cpuCell(ctx: BenchContext, options: CpuCellOptions): Promise<CpuCellResult> {
  let failures = 0;
  let next = 0;
  const one = async () => {
    const user = ctx.users[next++ % ctx.users.length];
    const { answer } = await exchange(ctx, user, options.botKey, options.text, 60_000);
    if (!options.check(answer)) failures++;
  };
  for (let i = 0; i < options.warmUp; i++) await one();
  const rounds: number[] = [];
  const wall: number[] = [];
  for (let round = 0; round < options.rounds; round++) {
    await sleep(SETTLE_MS);
    const cpuBefore = processCpuMs(options.pid);
    const began = performance.now();
    for (let i = 0; i < options.perRound; i++) await one();
    const elapsed = performance.now() - began;
    await sleep(SETTLE_MS);
    rounds.push((processCpuMs(options.pid) - cpuBefore) / options.perRound);
    wall.push(elapsed / options.perRound);
  }
  return {
    perExchange: summarize(rounds),
    rounds,
    perRound: options.perRound,
    wallPerExchange: wall,
    failures,
  };
}
