/**
 * `npm run bench`: starts the sandbox with a fixed added latency on every Webex route, runs
 * the scenarios on loopback, prints the table and writes bench/results/latest.json.
 * Flags: --latency <ms> (default 20), --only <1,…,7> (scenario numbers); `cpu` alone is
 * `--only 7` (CPU per answer, the quick loop for CPU work).
 * It measures, it does not judge: the exit status is 0 whether targets are met or not.
 * See bench/README.md.
 */
import os from 'node:os';
import path from 'node:path';
import { addBenchBot, addBenchUsers, addDirectRoom } from './sandbox-seed';
import { addRecording } from '../src/sandbox/seed-recordings';
import { SEED_EMAILS } from '../src/sandbox/seed';
import { startSandbox, type Sandbox } from '../src/sandbox/server';
import { launchBot, type LaunchedBot } from './bot-launch';
import { renderTable, writeResults, type Row } from './report';
import {
  auditScenario,
  baselineScenario,
  cpuScenario,
  footprintScenario,
  ingestScenario,
  launchBaseline,
  linkUsers,
  type LaunchedBaseline,
  memoryScenario,
  sandboxPagingRows,
  startupScenario,
  type BenchRecording,
  type CpuBot,
} from './scenarios';
import type { BenchContext, BenchUserInfo } from './turnaround';
import { MessageWatch } from './watch';

const BENCH_USERS = 50;
const RECORD_COUNTS = [3, 250, 2_500, 10_000];
/** The bundled helpers sit beside this file once built (see the bench script). */
const BUILD_DIR = __dirname;

interface Flags {
  latencyMs: number;
  only: Set<number>;
  /** Development aid: audit only these recording sizes (default all). */
  records?: number[];
}

function parseFlags(argv: string[]): Flags {
  const value = (name: string) => {
    const at = argv.indexOf(name);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const latencyMs = Number(value('--latency') ?? 20);
  if (!Number.isInteger(latencyMs) || latencyMs < 0) throw new Error('--latency takes whole ms');
  const all = argv.includes('cpu') ? '7' : '1,2,3,4,5,6,7';
  const only = (value('--only') ?? all).split(',').map(Number);
  const records = value('--records')?.split(',').map(Number);
  return { latencyMs, only: new Set(only), records };
}

function log(line: string): void {
  process.stderr.write(`bench: ${line}\n`);
}

function seedRecordings(sandbox: Sandbox, users: BenchUserInfo[]): BenchRecording[] {
  return RECORD_COUNTS.map((count) => {
    const topic = `Bench recording with ${count} accesses`;
    const recording = addRecording(sandbox.state, {
      topic,
      hostEmail: SEED_EMAILS.host,
      count,
      sharedWith: users.map((u) => u.email),
    });
    return { id: recording.id, topic, records: count };
  });
}

/**
 * Development aid for scenario 7: other builds of the bot, measured beside the bench's own
 * in the same rounds, e.g. BENCH_CPU_BOTS=/tmp/before/dist/main.js (a build beside its own
 * cards/ and manifest.json, with node_modules reachable). Each gets its own bot identity.
 */
const OTHER_BUILDS = process.env.BENCH_CPU_BOTS?.split(',').filter(Boolean) ?? [];

/**
 * The sandbox for scenarios 1, 2, 4 and 7: 50 users, each with a 1:1 room with the bot, the
 * baseline bot and any other build's bot (room keys `audit`, `baseline`, `build-<i>`).
 */
async function benchSandbox(latencyMs: number) {
  const sandbox = await startSandbox({ port: 0 });
  sandbox.faults.set({ route: '*', latencyMs });
  const bot = sandbox.state.people.get(sandbox.facts().bot.id);
  if (!bot) throw new Error('the sandbox seed has no bot');
  const baseline = addBenchBot(sandbox.state, 'baseline@webex.bot', 'Baseline');
  const builds = OTHER_BUILDS.map((main, i) => ({
    main,
    key: `build-${i}`,
    ...addBenchBot(sandbox.state, `build-${i}@webex.bot`, `Build ${i}`),
  }));
  const users: BenchUserInfo[] = addBenchUsers(sandbox.state, BENCH_USERS).map((u) => ({
    id: u.person.id,
    email: u.person.emails[0],
    token: u.token,
    rooms: {
      audit: addDirectRoom(sandbox.state, u.person, bot),
      baseline: addDirectRoom(sandbox.state, u.person, baseline.person),
      ...Object.fromEntries(
        builds.map((b) => [b.key, addDirectRoom(sandbox.state, u.person, b.person)]),
      ),
    },
  }));
  const botIds = new Set([bot.id, baseline.person.id, ...builds.map((b) => b.person.id)]);
  const watch = new MessageWatch(sandbox.state, botIds);
  const ctx: BenchContext = { sandbox, watch, latencyMs, users };
  return { ctx, baselineToken: baseline.token, builds, recordings: seedRecordings(sandbox, users) };
}

type OtherBuild = Awaited<ReturnType<typeof benchSandbox>>['builds'][number];

/**
 * Scenario 7 with the bot already up and linked: starts the baseline (and any other build,
 * linked the same way), measures them all in alternating rounds, stops what it started.
 */
async function cpuScenarioWith(
  ctx: BenchContext,
  bot: LaunchedBot,
  baselineToken: string,
  builds: OtherBuild[],
  recordings: BenchRecording[],
) {
  const started: Array<{ stop(): Promise<void> }> = [];
  try {
    const bots: CpuBot[] = [{ build: '', pid: bot.child.pid ?? 0, botKey: 'audit' }];
    for (const build of builds) {
      log(`scenario 7: starting and linking build ${build.main}`);
      const other = await launchBot(ctx.sandbox, { botToken: build.token, main: build.main });
      started.push(other);
      await linkUsers(ctx, recordings[0], build.key);
      bots.push({ build: build.main, pid: other.child.pid ?? 0, botKey: build.key });
    }
    log('scenario 7: starting the framework baseline bot');
    const baseline = await launchBaseline(
      ctx,
      path.join(BUILD_DIR, 'baseline-bot.js'),
      baselineToken,
    );
    started.push(baseline);
    log('scenario 7: CPU per answer');
    return await cpuScenario(ctx, bots, baseline, recordings);
  } finally {
    for (const child of started) await child.stop();
  }
}

async function botScenarios(flags: Flags, rows: Row[], details: Record<string, unknown>) {
  const { ctx, baselineToken, builds, recordings } = await benchSandbox(flags.latencyMs);
  let bot: LaunchedBot | undefined;
  let baseline: LaunchedBaseline | undefined;
  try {
    let overhead: number | undefined;
    if (flags.only.has(1) || flags.only.has(4) || flags.only.has(7)) {
      bot = await launchBot(ctx.sandbox, {
        botToken: ctx.sandbox.botToken,
        probeScript: path.join(BUILD_DIR, 'memory-probe.js'),
      });
      log(`linking ${ctx.users.length} users through the consent page (first audit warms up)`);
      await linkUsers(ctx, recordings[0]);
      if (flags.only.has(7)) {
        const cpu = await cpuScenarioWith(ctx, bot, baselineToken, builds, recordings);
        rows.push(...cpu.rows);
        details.cpu = cpu.details;
      }
      // Memory before the 50-user rounds, which leave a high RSS mark behind.
      if (flags.only.has(4)) {
        log('scenario 4: memory of a 10,000-record audit');
        const memory = await memoryScenario(
          ctx,
          bot,
          recordings[recordings.length - 1],
          path.join(BUILD_DIR, 'csv-probe.js'),
        );
        rows.push(...memory.rows);
        details.memory = memory.details;
      }
      if (flags.only.has(1)) {
        log('scenario 1: audit turnaround');
        const measured = recordings.filter(
          (r) => !flags.records || flags.records.includes(r.records),
        );
        const audit = await auditScenario(ctx, measured, [1, 50]);
        rows.push(...audit.rows, ...(await sandboxPagingRows(ctx, measured)));
        details.audit = audit.details;
        overhead = audit.overhead;
      }
      await bot.stop();
      bot = undefined;
    }
    if (flags.only.has(2)) {
      log('scenario 2: framework baseline');
      baseline = await launchBaseline(ctx, path.join(BUILD_DIR, 'baseline-bot.js'), baselineToken);
      const result = await baselineScenario(ctx, overhead);
      rows.push(...result.rows);
      details.baseline = result.details;
      await baseline.stop();
      baseline = undefined;
    }
  } finally {
    await bot?.stop();
    await baseline?.stop();
    await ctx.sandbox.close();
  }
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const started = Date.now();
  const rows: Row[] = [];
  const details: Record<string, unknown> = {};
  log(`added latency ${flags.latencyMs} ms on every Webex route; ${os.cpus().length} CPUs`);
  await botScenarios(flags, rows, details);
  if (flags.only.has(3)) {
    log('scenario 3: webhook ingest');
    const ingest = await ingestScenario(path.join(BUILD_DIR, 'ingest-server.js'));
    rows.push(...ingest.rows);
    details.ingest = ingest.details;
  }
  if (flags.only.has(5)) {
    log('scenario 5: start-up');
    const startup = await startupScenario(flags.latencyMs, [10, 1_000, 10_000], 5);
    rows.push(...startup.rows);
    details.startup = startup.details;
  }
  if (flags.only.has(6)) {
    const footprint = footprintScenario();
    rows.push(...footprint.rows);
    details.footprint = footprint.details;
  }
  rows.sort((a, b) => a.scenario.localeCompare(b.scenario));
  const elapsedS = Math.round((Date.now() - started) / 1000);
  const meta = {
    latencyMs: flags.latencyMs,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    node: process.version,
    finishedAt: new Date().toISOString(),
    elapsedS,
  };
  const file = writeResults(rows, meta, details);
  process.stdout.write(`\n${renderTable(rows)}\n\n`);
  process.stdout.write(
    `Added latency ${flags.latencyMs} ms per Webex call; ${meta.cpus} CPUs; ${elapsedS} s. ` +
      `Targets not met: ${rows.filter((r) => r.met === false).length}. Results: ${path.relative(process.cwd(), file)}\n`,
  );
}

main()
  .then(() => process.exit(0))
  .catch((err: unknown) => {
    process.stderr.write(
      `bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  });
