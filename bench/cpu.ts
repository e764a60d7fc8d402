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

/** One answering process measured in a CPU round. */
export interface CpuSubject {
  /** Row label, e.g. "audit bot" or "framework baseline". */
  name: string;
  pid: number;
  /** Key of the users' 1:1 rooms with this bot (BenchUserInfo.rooms). */
  botKey: string;
  text: string;
  check: (answer: SandboxMessage) => boolean;
}

export interface CpuPlan {
  /** Sequential exchanges per subject before measuring (not counted). */
  warmUp: number;
  rounds: number;
  /** Sequential exchanges per round. */
  perRound: number;
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
 * Warms every subject up, then runs `rounds` rounds; in each, every subject in turn answers
 * `perRound` exchanges one after the other (users rotate) while its process's CPU time is read
 * before and after. Subjects alternate within a round (the order rotates between rounds) so
 * that a busy moment on a shared machine falls on all of them alike. The caller sets the
 * sandbox's added latency to 0 first.
 * @example const byName = await cpuRounds(ctx, [auditBot, baseline], { warmUp: 50, rounds: 7, perRound: 60 });
 */
export async function cpuRounds(
  ctx: BenchContext,
  subjects: CpuSubject[],
  plan: CpuPlan,
): Promise<Map<string, CpuCellResult>> {
  let next = 0;
  const failures = new Map(subjects.map((s) => [s.name, 0]));
  const one = async (subject: CpuSubject) => {
    const user = ctx.users[next++ % ctx.users.length];
    const { answer } = await exchange(ctx, user, subject.botKey, subject.text, 60_000);
    if (!subject.check(answer)) failures.set(subject.name, (failures.get(subject.name) ?? 0) + 1);
  };
  for (const subject of subjects) {
    for (let i = 0; i < plan.warmUp; i++) await one(subject);
  }
  const cpu = new Map<string, number[]>(subjects.map((s) => [s.name, []]));
  const wall = new Map<string, number[]>(subjects.map((s) => [s.name, []]));
  for (let round = 0; round < plan.rounds; round++) {
    const order = subjects.map((_, i) => subjects[(i + round) % subjects.length]);
    for (const subject of order) {
      await sleep(SETTLE_MS);
      const cpuBefore = processCpuMs(subject.pid);
      const began = performance.now();
      for (let i = 0; i < plan.perRound; i++) await one(subject);
      const elapsed = performance.now() - began;
      await sleep(SETTLE_MS);
      cpu.get(subject.name)?.push((processCpuMs(subject.pid) - cpuBefore) / plan.perRound);
      wall.get(subject.name)?.push(elapsed / plan.perRound);
    }
  }
  return new Map(
    subjects.map((s) => {
      const rounds = cpu.get(s.name) ?? [];
      return [
        s.name,
        {
          perExchange: summarize(rounds),
          rounds,
          perRound: plan.perRound,
          wallPerExchange: wall.get(s.name) ?? [],
          failures: failures.get(s.name) ?? 0,
        },
      ];
    }),
  );
}
