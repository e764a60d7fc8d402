/**
 * Progress on long audits, end to end: at a realistic ~200 ms a page, a 2,500-record audit
 * shows a progress message, edits it in place (at most 8 times, 2 s apart, as the sandbox
 * recorded the edits) and removes it once the card is there; a short audit posts nothing
 * extra; a long audit that fails leaves the error text in the progress message's place.
 */
import axios from 'axios';
import { SEED_RECORDING_IDS } from '../../src/sandbox/seed-recordings';
import { cardOf, cardText } from '../helpers/card-text';
import { linkAccount } from '../helpers/consent';
import {
  startStack,
  type SandboxMessage,
  type SandboxUser,
  type TestStack,
} from '../helpers/stack';

const ACCESS_DETAIL = 'GET /v1/recordingReport/accessDetail';

let stack: TestStack;
let host: SandboxUser;
let roomId: string;

beforeAll(async () => {
  stack = await startStack();
  host = stack.user('host@example.com');
  roomId = await linkAccount(host);
}, 30_000);

afterEach(() => stack.running.sandbox.faults.clear());
afterAll(async () => {
  await stack?.close();
});

/** How many audits the bot has finished (its Prometheus counter): the signal that it is done. */
async function auditsFinished(): Promise<number> {
  const { data } = await axios.get<string>(`${stack.file.botUrl}/metrics`);
  return data
    .split('\n')
    .filter((line) => line.startsWith('audit_bot_commands_total{') && line.includes('"audit"'))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

async function until<T>(check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Sends `audit <id>` and watches the room as a person would, until the bot has finished:
 * every bot message seen on the way (by id, last seen version), and the room at the end.
 */
async function auditWatching(
  recordingId: string,
  duringRun: (seen: Map<string, SandboxMessage>) => void = () => undefined,
) {
  const finishedBefore = await auditsFinished();
  const sent = await host.dmBot(`audit ${recordingId}`);
  const seen = new Map<string, SandboxMessage>();
  const botMessagesAfterSent = async () => {
    const all = await host.messages(roomId);
    return all
      .slice(all.findIndex((m) => m.id === sent.id) + 1)
      .filter((m) => m.personId === stack.file.bot.id);
  };
  await until(async () => {
    for (const message of await botMessagesAfterSent()) seen.set(message.id, message);
    duringRun(seen);
    return (await auditsFinished()) > finishedBefore ? true : undefined;
  });
  return { sent, seen, final: await botMessagesAfterSent() };
}

const isProgress = (m: SandboxMessage) => /Reading the access report/.test(m.markdown ?? '');

describe('progress on a long audit', () => {
  it('shows, edits (≤ 8, ≥ 2 s apart) and removes a progress message around the card', async () => {
    stack.running.sandbox.faults.set({ route: ACCESS_DETAIL, latencyMs: 200 });
    const { seen, final } = await auditWatching(SEED_RECORDING_IDS.allHands);

    const progress = [...seen.values()].find(isProgress);
    expect(progress).toBeDefined();
    expect(progress?.attachments).toBeUndefined();
    const edits = stack.running.sandbox.state.messageEdits.get(progress!.id) ?? [];
    expect(edits.length).toBeGreaterThanOrEqual(1);
    expect(edits.length).toBeLessThanOrEqual(8);
    const times = [progress!.created, ...edits.map((e) => e.at)].map((t) => Date.parse(t));
    for (let i = 1; i < times.length; i++) {
      expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(2_000);
    }
    for (const edit of edits)
      expect(edit.markdown).toMatch(/^Reading the access report… [\d,]+ read so far$/);
    // The counts only go up, never past what the recording holds.
    const counts = edits.map((e) =>
      Number(/([\d,]+) read/.exec(e.markdown ?? '')![1].replace(/,/g, '')),
    );
    expect([...counts].sort((a, b) => a - b)).toEqual(counts);
    expect(counts.at(-1)).toBeLessThanOrEqual(2_500);

    // The room finally holds the card and no progress message.
    expect(final).toHaveLength(1);
    expect(cardText(cardOf(final[0]))).toContain('All-hands Q3');
    const gone = await host.api.get(`/messages/${progress!.id}`);
    expect(gone.status).toBe(404);
  }, 60_000);

  it('posts nothing extra for a short audit', async () => {
    const { seen, final } = await auditWatching(SEED_RECORDING_IDS.example);
    expect(final).toHaveLength(1);
    expect(cardText(cardOf(final[0]))).toContain('Example Topic');
    expect([...seen.values()].filter(isProgress)).toEqual([]);
    const progressPosts = stack.running.sandbox.state.messages.filter(
      (m) => m.personId === stack.file.bot.id && isProgress(m),
    );
    expect(progressPosts).toEqual([]);
  }, 30_000);

  it('turns the progress message into the error text when the audit fails', async () => {
    const faults = stack.running.sandbox.faults;
    faults.set({ route: ACCESS_DETAIL, latencyMs: 200 });
    let progressId: string | undefined;
    const { seen, final } = await auditWatching(SEED_RECORDING_IDS.allHands, (messages) => {
      // Once the progress message shows, Webex starts refusing the report (not retried).
      const progress = [...messages.values()].find(isProgress);
      if (!progressId && progress) {
        progressId = progress.id;
        faults.add({ route: ACCESS_DETAIL, failNext: 1, failNextStatus: 404 });
      }
    });
    expect(progressId).toBeDefined();
    // The one message left is the progress message, now saying what went wrong.
    expect(final.map((m) => m.id)).toEqual([progressId]);
    expect(seen.size).toBe(1);
    expect(final[0].markdown).not.toMatch(/Reading the access report/);
    expect(final[0].markdown).toMatch(/tracking ID/i);
    expect(final[0].attachments).toBeUndefined();
    const edits = stack.running.sandbox.state.messageEdits.get(progressId!) ?? [];
    expect(edits.at(-1)?.markdown).toBe(final[0].markdown);
    expect(edits.length).toBeLessThanOrEqual(9);
  }, 60_000);
});
