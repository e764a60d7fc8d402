/**
 * Turnaround measurement shared by the audit and baseline scenarios: a user posts in their
 * 1:1 space with a bot, and the time runs from the moment the sandbox stores the user's
 * message until it stores the bot's answer (both seen in-process by MessageWatch). The
 * sandbox also counts every API call; the bot's calls are all calls minus the users' own.
 */
import type { Sandbox } from '../src/sandbox/server';
import type { SandboxMessage } from '../src/sandbox/state';
import { sleep } from './processes';
import { summarize, type Summary } from './stats';
import type { MessageWatch } from './watch';

export interface BenchUserInfo {
  id: string;
  email: string;
  /** Personal token: the user's own calls are counted under it. */
  token: string;
  /** The user's 1:1 room with each bot, by bot name. */
  rooms: Record<string, string>;
}

export interface BenchContext {
  sandbox: Sandbox;
  watch: MessageWatch;
  latencyMs: number;
  users: BenchUserInfo[];
}

/** Posts a message as a sandbox user, as a Webex client would. */
export async function postAs(ctx: BenchContext, token: string, body: object): Promise<void> {
  const response = await fetch(`${ctx.sandbox.apiUrl}/messages`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`POST /messages answered ${response.status}`);
}

/** One exchange: the user says `text` to bot `botKey`; returns ms and the bot's answer. */
/** A message with a card: the report, not the progress message a long audit posts first. */
export const isCard = (message: SandboxMessage): boolean => Boolean(message.attachments?.length);

export async function exchange(
  ctx: BenchContext,
  user: BenchUserInfo,
  botKey: string,
  text: string,
  timeoutMs?: number,
  isAnswer: (message: SandboxMessage) => boolean = () => true,
): Promise<{ ms: number; answer: SandboxMessage }> {
  const roomId = user.rooms[botKey];
  const asked = ctx.watch.next(roomId, (m) => m.personId === user.id, { timeoutMs });
  const answered = ctx.watch.next(roomId, (m) => ctx.watch.botIds.has(m.personId) && isAnswer(m), {
    timeoutMs,
  });
  await postAs(ctx, user.token, { roomId, text });
  const [question, answer] = await Promise.all([asked, answered]);
  return { ms: answer.at - question.at, answer: answer.message };
}

export interface CellResult {
  turnaround: Summary;
  /** Webex calls the bot made, per exchange (one value per round). */
  calls: Summary;
  /** The bot's calls per exchange by route, over the whole cell. */
  callsByRoute: Record<string, number>;
  samples: number[];
  rounds: number;
  failures: number;
}

export interface CellOptions {
  botKey: string;
  text: string;
  concurrency: number;
  rounds: number;
  /** Stop starting rounds after this long. */
  capMs: number;
  /** False when the answer is not the expected one (counted as a failure). */
  check: (answer: SandboxMessage) => boolean;
  /** Which of the bot's messages is the answer (default: its first); e.g. a card, not progress. */
  isAnswer?: (message: SandboxMessage) => boolean;
}

function botCalls(ctx: BenchContext, participants: BenchUserInfo[]) {
  const counts = ctx.sandbox.faults.counts();
  const own = participants.reduce((sum, u) => sum + (counts.byToken[u.token] ?? 0), 0);
  const byRoute = { ...counts.byRoute };
  // Each participant posted one message with their own token.
  byRoute['POST /v1/messages'] = (byRoute['POST /v1/messages'] ?? 0) - participants.length;
  return { total: counts.total - own, byRoute };
}

/**
 * Runs `rounds` rounds; in each, `concurrency` distinct users send `text` at once.
 * Users rotate between rounds so that each round at concurrency 1 is a different person.
 */
export async function runCell(ctx: BenchContext, options: CellOptions): Promise<CellResult> {
  const samples: number[] = [];
  const perExchange: number[] = [];
  const routes: Record<string, number> = {};
  let failures = 0;
  let exchanges = 0;
  const started = performance.now();
  let round = 0;
  for (; round < options.rounds; round++) {
    if (round > 0 && performance.now() - started > options.capMs) break;
    const participants = Array.from(
      { length: options.concurrency },
      (_, i) => ctx.users[(round * options.concurrency + i) % ctx.users.length],
    );
    ctx.sandbox.faults.resetCounts();
    const results = await Promise.all(
      participants.map((user) =>
        exchange(ctx, user, options.botKey, options.text, undefined, options.isAnswer),
      ),
    );
    // Anything the bot does right after its answer belongs to this exchange too.
    await sleep(50);
    const calls = botCalls(ctx, participants);
    perExchange.push(calls.total / participants.length);
    for (const [route, n] of Object.entries(calls.byRoute)) {
      if (n > 0) routes[route] = (routes[route] ?? 0) + n;
    }
    exchanges += participants.length;
    for (const result of results) {
      samples.push(result.ms);
      if (!options.check(result.answer)) failures++;
    }
  }
  const callsByRoute = Object.fromEntries(
    Object.entries(routes).map(([route, n]) => [route, n / exchanges]),
  );
  return {
    turnaround: summarize(samples),
    calls: summarize(perExchange),
    callsByRoute,
    samples,
    rounds: round,
    failures,
  };
}
