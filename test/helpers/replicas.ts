/**
 * Several real bot processes on one PostgreSQL, as an operator runs them: each replica is
 * `node src/main.ts` in Webex mode against a sandbox running in the test's process, all
 * behind one round-robin proxy at PUBLIC_URL, all sharing one DATABASE_URL (a throw-away
 * schema). Replicas can be started, stopped (SIGTERM), killed (SIGKILL) and started again.
 * Events come as webhooks through the proxy (the default) or, with `transport: 'websocket'`,
 * over each replica's own socket (every replica hears every event).
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import type { SandboxMessage } from '../../src/sandbox/state';
import { DEFAULT_PROBE_URL } from '../store/postgres-server';
import { freePort, sandboxBotEnv, spawnBot, type BotProcess } from './bot-process';
import { deliveriesIdle } from './quiet';
import { startRoundRobinProxy, type RoundRobinProxy } from './round-robin-proxy';

/**
 * As in test/store/store.test.ts: the server jest's global set-up found or started (a local
 * one at 127.0.0.1:5432, else an embedded one), in TEST_POSTGRES_URL.
 */
export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? DEFAULT_PROBE_URL;

export interface Replica {
  readonly name: string;
  readonly port: number;
  /** `http://127.0.0.1:<port>`: the replica itself, bypassing the proxy. */
  readonly url: string;
  /** The running process, if any. */
  readonly process: BotProcess | undefined;
  running(): boolean;
  /** Starts the process and resolves once its `/readyz` answers 200. */
  start(): Promise<void>;
  /** SIGTERM, then resolves with the exit code once the process has ended. */
  stop(): Promise<number | string>;
  /** SIGKILL (`kill -9`), then resolves once the process has ended. */
  kill(): Promise<number | string>;
  /** Everything the replica printed, over all its runs (for failure messages). */
  output(): string;
}

export type EventTransport = 'webhook' | 'websocket';

export interface ReplicaCluster {
  sandbox: Sandbox;
  proxy: RoundRobinProxy;
  replicas: Replica[];
  /** The DATABASE_URL every replica uses. */
  databaseUrl: string;
  schema: string;
  /** Runs a query in the replicas' schema (to look at what they stored). */
  query<T extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export interface ReplicaClusterOptions {
  /** How many replicas (default 2), named A, B, … */
  count?: number;
  /** Extra settings for every replica (e.g. lease or grace seconds). */
  env?: Record<string, string>;
  /** Start the replicas (default true). */
  start?: boolean;
  /** EVENT_TRANSPORT of every replica (default webhook). */
  transport?: EventTransport;
}

/** A database URL whose connections use `schema` first (pg reads `options` from the URL). */
export function withSearchPath(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c search_path=${schema}`);
  return parsed.toString();
}

async function withAdmin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const unavailable = process.env.TEST_POSTGRES_UNAVAILABLE;
  if (unavailable) throw new Error(`No PostgreSQL for the replica tests: ${unavailable}`);
  const client = new Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(
      `PostgreSQL is required for the replica tests and was not reachable ` +
        `(${(err as Error).message}). Start it (trust auth, database "test") or set TEST_POSTGRES_URL.`,
    );
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function until(what: string, condition: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function isReady(url: string): Promise<boolean> {
  const answer = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1_000) }).catch(
    () => undefined,
  );
  return answer?.status === 200;
}

function replica(name: string, port: number, env: Record<string, string>): Replica {
  let current: BotProcess | undefined;
  let history = '';
  const url = `http://127.0.0.1:${port}`;
  const collect = () => {
    if (current) history += `--- ${name} run ---\n${current.stdout()}${current.stderr()}`;
  };
  const signal = async (kind: NodeJS.Signals) => {
    const running = current;
    if (!running) throw new Error(`replica ${name} is not running`);
    running.child.kill(kind);
    const code = await running.exited;
    collect();
    current = undefined;
    return code;
  };
  return {
    name,
    port,
    url,
    get process() {
      return current;
    },
    running: () => current !== undefined && current.child.exitCode === null,
    async start() {
      if (current) throw new Error(`replica ${name} is already running`);
      const started = spawnBot({ ...env, PORT: String(port) });
      current = started;
      try {
        await until(
          `replica ${name} to be ready`,
          async () => {
            if (started.child.exitCode !== null) {
              throw new Error(`replica ${name} exited: ${started.stdout()}${started.stderr()}`);
            }
            return isReady(url);
          },
          30_000,
        );
      } catch (err) {
        if (started.child.exitCode === null) started.child.kill('SIGKILL');
        await started.exited;
        collect();
        current = undefined;
        throw err;
      }
    },
    stop: () => signal('SIGTERM'),
    kill: () => signal('SIGKILL'),
    output: () => `${history}${current ? `${current.stdout()}${current.stderr()}` : ''}`,
  };
}

/**
 * Starts the sandbox, a throw-away schema, the proxy and the replicas (ready when it resolves).
 * @example
 * const cluster = await startReplicaCluster();
 * await cluster.replicas[0].stop(); // SIGTERM A
 * await cluster.close();
 */
export async function startReplicaCluster(
  options: ReplicaClusterOptions = {},
): Promise<ReplicaCluster> {
  const schema = `test_replicas_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdmin((client) => client.query(`CREATE SCHEMA "${schema}"`));
  const databaseUrl = withSearchPath(TEST_POSTGRES_URL, schema);
  const transport = options.transport ?? 'webhook';
  // The SDK reads the org from the token to find its services: websocket mode needs Webex-shaped ones.
  const sandbox = await startSandbox({
    port: 0,
    log: () => undefined,
    ...(transport === 'websocket' ? { tokenStyle: 'webex' as const } : {}),
  });
  const count = options.count ?? 2;
  const ports: number[] = [];
  for (let i = 0; i < count; i++) ports.push(await freePort());
  // In websocket mode no event goes through the proxy, but the OAuth callback (PUBLIC_URL)
  // still needs one address for all replicas, as behind a load balancer.
  const proxy = await startRoundRobinProxy({ port: await freePort(), backends: ports });
  // One deployment: every replica has the same settings but its own port (and, in websocket
  // mode, so its own device name).
  const env = {
    ...sandboxBotEnv(sandbox, { port: 0, publicUrl: proxy.url, databaseUrl }),
    EVENT_TRANSPORT: transport,
    ...options.env,
  };
  const replicas = ports.map((port, i) => replica(String.fromCharCode(65 + i), port, env));
  const cluster: ReplicaCluster = {
    sandbox,
    proxy,
    replicas,
    databaseUrl,
    schema,
    query: (sql, params = []) =>
      withAdmin(async (client) => {
        await client.query(`SET search_path TO "${schema}"`);
        return (await client.query(sql, params)).rows;
      }),
    async close() {
      await Promise.all(replicas.filter((r) => r.running()).map((r) => r.kill()));
      await proxy.close();
      await sandbox.close();
      await withAdmin((client) => client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
    },
  };
  if (options.start ?? true) {
    try {
      // One after the other: the first one creates the schema's tables (and the webhooks).
      for (const r of replicas) await r.start();
    } catch (err) {
      await cluster.close();
      throw err;
    }
  }
  return cluster;
}

/** The bot's messages in a room, oldest first (read from the sandbox's state directly). */
export function botMessages(sandbox: Sandbox, roomId: string): SandboxMessage[] {
  const botId = sandbox.facts().bot.id;
  return sandbox.state.messages.filter((m) => m.roomId === roomId && m.personId === botId);
}

/**
 * How many times each text was quoted back in the bot's "didn't understand" replies.
 * @example countQuotedReplies(sandbox, roomId).get('probe 3') // 1
 */
export function countQuotedReplies(sandbox: Sandbox, roomId: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const message of botMessages(sandbox, roomId)) {
    const quoted = /didn't understand "([^"]+)"/.exec(message.markdown ?? message.text ?? '')?.[1];
    if (quoted) counts.set(quoted, (counts.get(quoted) ?? 0) + 1);
  }
  return counts;
}

/**
 * Sent texts that got no reply, and those that got more than one.
 * @example const { lost, repeated } = tally(sent, countQuotedReplies(sandbox, roomId));
 */
export function tally(
  sent: string[],
  replies: Map<string, number>,
): { replied: number; lost: string[]; repeated: string[] } {
  const lost = sent.filter((text) => !replies.has(text));
  const repeated = sent.filter((text) => (replies.get(text) ?? 0) > 1);
  const replied = sent.filter((text) => replies.has(text)).length;
  return { replied, lost, repeated };
}

/** Polls `condition` every 25 ms until it holds; fails naming `what` after `timeoutMs`. */
export async function waitUntil(
  what: string,
  condition: () => boolean,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** With REPLICAS_REPORT=1, prints a scenario's counts to stderr (for notes on a run). */
export function reportCounts(scenario: string, counts: unknown): void {
  if (process.env.REPLICAS_REPORT) process.stderr.write(`${scenario}: ${JSON.stringify(counts)}\n`);
}

/**
 * Starts the cluster and has `email` write to the bot first, so the 1:1 space is set up
 * before any counting starts.
 * @example const { cluster, talk } = await startConversingCluster('colleague@example.com');
 */
export async function startConversingCluster(
  email: string,
  options: ReplicaClusterOptions = {},
): Promise<{ cluster: ReplicaCluster; talk: Conversation }> {
  const cluster = await startReplicaCluster(options);
  const talk = new Conversation(cluster, email);
  try {
    const hello = await talk.send('help');
    await waitUntil('the answer to "help"', () => talk.botMessagesAfter(hello).length > 0, 15_000);
  } catch (err) {
    await cluster.close();
    throw err;
  }
  return { cluster, talk };
}

/**
 * One person writing to the bot 1:1, and what came of each message.
 * @example const talk = new Conversation(cluster, 'host@example.com'); await talk.send('help');
 */
export class Conversation {
  readonly person: { id: string; email: string; token: string };
  roomId = '';
  private readonly textById = new Map<string, string>();

  constructor(
    private readonly cluster: ReplicaCluster,
    email: string,
  ) {
    const person = cluster.sandbox.facts().users.find((u) => u.email === email);
    if (!person) throw new Error(`no sandbox user ${email}`);
    this.person = person;
  }

  /** Sends `text` to the bot; resolves with the message id. */
  async send(text: string): Promise<string> {
    const { sandbox } = this.cluster;
    const response = await fetch(`${sandbox.apiUrl}/messages`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${this.person.token}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ toPersonEmail: sandbox.facts().bot.email, text }),
    });
    const body = (await response.json()) as { id: string; roomId: string };
    if (response.status !== 200) throw new Error(`POST /messages: ${response.status}`);
    this.roomId = body.roomId;
    this.textById.set(body.id, text);
    return body.id;
  }

  /** Sends `<prefix> 0` … `<prefix> <count - 1>`, one after the other; resolves with the texts. */
  async sendNumbered(prefix: string, count: number): Promise<string[]> {
    const texts = Array.from({ length: count }, (_, i) => `${prefix} ${i}`);
    for (const text of texts) await this.send(text);
    return texts;
  }

  /** The text sent as `messageId` (by this conversation). */
  textOf(messageId: string): string | undefined {
    return this.textById.get(messageId);
  }

  /** The bot's messages in this space after `messageId`, oldest first. */
  botMessagesAfter(messageId: string): SandboxMessage[] {
    const all = this.cluster.sandbox.state.messages.filter((m) => m.roomId === this.roomId);
    const botId = this.cluster.sandbox.facts().bot.id;
    return all
      .slice(all.findIndex((m) => m.id === messageId) + 1)
      .filter((m) => m.personId === botId);
  }

  /** Waits (up to `timeoutMs`) until every text in `sent` has a reply and all is quiet; counts. */
  async settle(sent: string[], timeoutMs = 20_000): Promise<ReturnType<typeof tally>> {
    const { sandbox } = this.cluster;
    const counts = () => tally(sent, countQuotedReplies(sandbox, this.roomId));
    await deliveriesIdle(sandbox);
    // A timeout is not an error here: the counts say what is missing.
    await waitUntil(
      'every message to be answered',
      () => counts().lost.length === 0,
      timeoutMs,
    ).catch(() => undefined);
    // Nothing left in flight anywhere, so a late repeat would be counted too.
    await quiet(this.cluster);
    return counts();
  }

  /** What the proxy saw of the deliveries of these texts (for failure notes). */
  deliveriesOf(
    texts: string[],
  ): Array<{ text?: string; backend?: string; status: number | string }> {
    const { proxy, replicas } = this.cluster;
    return proxy.deliveries
      .filter((d) => d.dataId && texts.includes(this.textById.get(d.dataId) ?? ''))
      .map((d) => ({
        text: this.textById.get(d.dataId ?? ''),
        backend: d.backend === undefined ? undefined : replicas[d.backend].name,
        status: d.status,
      }));
  }

  /** The replicas that acknowledged (200) each message's delivery through the proxy. */
  acknowledgedBy(messageIds: string[]): string[][] {
    const { proxy, replicas } = this.cluster;
    return messageIds.map((id) =>
      proxy.deliveries
        .filter((d) => d.dataId === id && d.status === 200 && d.backend !== undefined)
        .map((d) => replicas[d.backend ?? 0].name)
        .sort(),
    );
  }
}

/**
 * The sum of a Prometheus metric's samples on the running replicas (those with all of
 * `labels`). A gauge read from the shared store counts once per replica: pass one replica.
 * @example await metricSum(cluster, 'audit_bot_inbox_retries_total') // 5
 */
export async function metricSum(
  cluster: ReplicaCluster,
  name: string,
  labels: Record<string, string> = {},
  replicas: Replica[] = cluster.replicas,
): Promise<number> {
  let total = 0;
  for (const replica of replicas.filter((r) => r.running())) {
    const response = await fetch(`${replica.url}/metrics`);
    for (const line of (await response.text()).split('\n')) {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{([^}]*)\})? (\S+)$/.exec(line);
      if (match?.[1] !== name) continue;
      const sample = match[2] ?? '';
      if (Object.entries(labels).every(([key, value]) => sample.includes(`${key}="${value}"`))) {
        total += Number(match[3]);
      }
    }
  }
  return total;
}

/** {@link waitUntil} for a condition that has to ask something (a metric, the database). */
export async function waitUntilAsync(
  what: string,
  condition: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Resolves once nothing is left to happen: no delivery in flight and no event pending or
 * claimed in the shared inbox (as the running replicas' `/metrics` report it).
 * @example await quiet(cluster); expect(replies).toHaveLength(1);
 */
export async function quiet(cluster: ReplicaCluster, timeoutMs = 30_000): Promise<void> {
  await deliveriesIdle(cluster.sandbox);
  await waitUntilAsync(
    'the inbox to be empty',
    async () => {
      // The gauge is read from the shared store: one replica's view is everyone's.
      const replica = cluster.replicas.find((r) => r.running());
      if (!replica) throw new Error('no replica running to ask');
      const text = await (await fetch(`${replica.url}/metrics`)).text();
      return (
        /^audit_bot_inbox_events\{status="pending"\} 0$/m.test(text) &&
        /^audit_bot_inbox_events\{status="claimed"\} 0$/m.test(text)
      );
    },
    timeoutMs,
  );
  await deliveriesIdle(cluster.sandbox);
}
