/**
 * People outside the organisation, end to end against the sandbox: with ORG_EMAIL_DOMAINS
 * empty the requester's own domain (example.com) is the organisation. Accesses from outside
 * are added through the sandbox's control API; the report card tags them and counts them, the
 * External filter shows only them, the CSV after it holds only their rows (external=true), and
 * the card's Watch button starts a watch.
 */
import { SEED_RECORDING_IDS, SEED_RECORDING_TOPICS } from '../../src/sandbox/seed-recordings';
import { cardLines, cardOf, cardText } from '../helpers/card-text';
import { expectValidCard } from '../helpers/cards';
import { linkAccount } from '../helpers/consent';
import { pressAndWaitForReplacement } from '../helpers/report-cards';
import {
  cardActions,
  clickButton,
  startStack,
  type SandboxMessage,
  type SandboxUser,
  type TestStack,
} from '../helpers/stack';
import { addAccesses } from '../helpers/sandbox-access';

jest.setTimeout(60_000);

const RECORDING = SEED_RECORDING_IDS.example;
/** Outside example.com, whatever their names claim. */
const OUTSIDERS = [
  { name: 'Example.com IT Desk', email: 'eve@evil.example', action: 'download' },
  { name: 'Eve', email: 'eve@evil.example', action: 'view' },
  { name: 'Otto Partner', email: 'otto@partner.test', action: 'view' },
  { name: 'Look Alike', email: 'lookalike@example.com.evil.test', action: 'view' },
] as const;
const OUTSIDE_EMAILS = new Set<string>(OUTSIDERS.map((o) => o.email));

let stack: TestStack;
let host: SandboxUser;
let directRoom: string;

beforeAll(async () => {
  stack = await startStack({ ORG_EMAIL_DOMAINS: '' });
  host = stack.user('host@example.com');
  directRoom = await linkAccount(host);
  await addAccesses(stack.running.sandbox.baseUrl, RECORDING, OUTSIDERS);
});

afterAll(async () => {
  await stack?.close();
});

/** Every access record of the recording, as the sandbox holds them. */
function records() {
  return stack.running.sandbox.state.recordings.get(RECORDING)!.accessRecords;
}

async function audit(): Promise<SandboxMessage> {
  const sent = await host.dmBot(`audit ${RECORDING}`);
  return host.waitForBotCard(directRoom, { after: sent.id });
}

/** Each person's lines on the card: name, then "External" when tagged, counts, email, … */
function rows(card: unknown): string[][] {
  return ((card as { body: unknown[] }).body ?? [])
    .filter((b) => (b as { type?: string }).type === 'Container')
    .map((row) => cardLines(row));
}

const emailOf = (lines: string[]) => lines.find((line) => line.includes('@')) ?? '';

describe('people outside the organisation', () => {
  it('are tagged External on the card, by email, and counted in the totals', async () => {
    const card = cardOf(await audit());
    expectValidCard(card);
    const people = rows(card);
    const insiders = new Set(
      records()
        .map((r) => r.email.toLowerCase())
        .filter((email) => !OUTSIDE_EMAILS.has(email)),
    );
    expect(insiders.size).toBeGreaterThan(0);
    expect(people).toHaveLength(insiders.size + 3);
    // The tag follows the name exactly on the outsiders' rows.
    const tagged = people.map((lines) => [emailOf(lines).toLowerCase(), lines[1] === 'External']);
    expect(tagged).toEqual(tagged.map(([email]) => [email, OUTSIDE_EMAILS.has(email as string)]));
    // eve, otto and the look-alike viewed; eve alone downloaded.
    expect(cardText(card)).toContain('External people: 3 viewed, 1 downloaded');
  });

  it('the External filter shows only them; the CSV after it holds only their rows, external=true', async () => {
    const report = await audit();
    const filtered = await pressAndWaitForReplacement(host, directRoom, report, 'External');
    const card = cardOf(filtered);
    expectValidCard(card);
    expect(cardText(card)).toContain('Filter: 3 people outside your organisation');
    expect(new Set(rows(card).map(emailOf))).toEqual(OUTSIDE_EMAILS);
    expect(rows(card).every((lines) => lines[1] === 'External')).toBe(true);
    const styles = cardActions(card)
      .filter((a) => a.data?.action === 'audit.page' && a.data?.page === 1)
      .map((a) => [a.title, (a as { style?: string }).style]);
    expect(styles).toContainEqual(['External', 'positive']);

    await clickButton(host, filtered, 'Export CSV');
    const [file] = (
      await host.waitForBot(directRoom, { after: filtered.id, timeoutMs: 15_000 })
    ).filter((m) => m.files?.length);
    expect(file.markdown).toContain('Only people outside your organisation');
    const csv = (await host.api.get<string>(file.files![0], { responseType: 'text' })).data;
    const [header, ...lines] = csv
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\n');
    expect(header.split(',').at(-1)).toBe('external');
    expect(lines).toHaveLength(OUTSIDERS.length);
    expect(new Set(lines.map((line) => line.split(',')[1]))).toEqual(OUTSIDE_EMAILS);
    expect(lines.map((line) => line.split(',').at(-1))).toEqual(lines.map(() => 'true'));
  });

  it("the card's Watch button starts a watch, and the bot confirms it", async () => {
    const report = await audit();
    await clickButton(host, report, 'Watch');
    const [reply] = await host.waitForBot(directRoom, { after: report.id, timeoutMs: 15_000 });
    expect(cardText(cardOf(reply))).toContain(`Watching ${SEED_RECORDING_TOPICS.example}`);
    const watches = await stack.running.store.listWatches(host.id);
    expect(watches.map((w) => w.recordingId)).toEqual([RECORDING]);
  });
});
