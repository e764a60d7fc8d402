/**
 * The usage log's pure parts and its pipeline step: the CSV, the outcome codes, and that a
 * request is recorded once with how it ended, while a log that cannot be written never breaks
 * the answer.
 */
import { compose, step } from '../../src/bot/middleware/compose';
import type { BotContext, UsageSubject } from '../../src/bot/middleware/context';
import { recordUsage, usageOutcome } from '../../src/bot/middleware/steps';
import { MissingScopeError, NotConnectedError } from '../../src/errors';
import { usageCsv, usageCsvFileName, usageCsvRow } from '../../src/report/usage-csv';
import { ManualClock } from '../../src/scheduler/clock';
import type { UsageEntry } from '../../src/store/store';
import { WebexApiError, WebexRateLimitedError, WebexTimeoutError } from '../../src/webex/errors';

async function text(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as string));
  return Buffer.concat(chunks).toString('utf8');
}

describe('usage CSV', () => {
  const row = {
    at: Date.parse('2024-11-04T17:00:00Z'),
    personEmail: 'ann@corp.example',
    command: 'audit',
    recordingId: '4f914b1dfe3c4d11a61730f18c0f5387',
    hostEmail: 'otto@corp.example',
    place: 'group' as const,
    outcome: 'webex_404',
  };

  it('has one row per request, its time in UTC and in the reader’s zone', async () => {
    const csv = await text(
      usageCsv([row, { ...row, command: 'export', outcome: 'ok' }], 'Asia/Tokyo'),
    );
    const lines = csv
      .replace(/^\ufeff/, '')
      .trim()
      .split('\n');
    expect(lines).toEqual([
      'Time (UTC),Time (Asia/Tokyo),Person email,Command,Recording ID,Host email,Place,Outcome',
      '2024-11-04T17:00:00Z,2024-11-05T02:00:00+09:00,ann@corp.example,audit,4f914b1dfe3c4d11a61730f18c0f5387,otto@corp.example,group,webex_404',
      '2024-11-04T17:00:00Z,2024-11-05T02:00:00+09:00,ann@corp.example,export,4f914b1dfe3c4d11a61730f18c0f5387,otto@corp.example,group,ok',
    ]);
  });

  it('leaves absent fields empty and neutralises formulas', () => {
    expect(
      usageCsvRow(
        {
          at: 0,
          personEmail: '=cmd|x@evil.example',
          command: 'usage',
          place: 'direct',
          outcome: 'ok',
        },
        'UTC',
      ),
    ).toEqual([
      '1970-01-01T00:00:00Z',
      '1970-01-01T00:00:00Z',
      "'=cmd|x@evil.example",
      'usage',
      '',
      '',
      'direct',
      'ok',
    ]);
  });

  it('is named by the day in the reader’s zone and the days covered', () => {
    expect(usageCsvFileName(Date.parse('2024-11-04T17:00:00Z'), 'Asia/Tokyo', 30)).toBe(
      'recording-audit-usage-2024-11-05-30d.csv',
    );
  });
});

describe('usageOutcome', () => {
  it.each([
    [new NotConnectedError(), 'not_connected'],
    [new MissingScopeError('meeting:admin_recordings_read', 'usage'), 'missing_scope'],
    [new WebexApiError('Not found', { status: 404 }), 'webex_404'],
    [new WebexRateLimitedError('slow down', { status: 429 }), 'rate_limited'],
    [new WebexTimeoutError('timeout', {}), 'webex_unreachable'],
    [new TypeError('x is undefined'), 'error'],
  ])('%p → %p', (err, code) => {
    expect(usageOutcome(err)).toBe(code);
  });
});

describe('recordUsage', () => {
  const clock = new ManualClock(Date.parse('2024-11-04T17:00:00Z'));
  const logger = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };
  const context = (usage: UsageSubject | undefined) =>
    ({
      person: { id: 'P1', email: 'ann@corp.example', displayName: 'Ann' },
      place: { person: { id: 'P1' }, room: { id: 'GROUP', type: 'group' } },
      route: { command: 'audit', label: 'audit', usage, run: async () => undefined },
    }) as unknown as BotContext;
  const subject = { command: 'audit', recordingId: 'REC', hostEmail: 'otto@corp.example' };

  const run = async (
    ctx: BotContext,
    command: () => Promise<void>,
    addUsage: (e: UsageEntry) => Promise<void>,
  ) => {
    const handler = compose<BotContext>([
      recordUsage({ store: { addUsage }, logger: logger as never, clock }),
      step('command', command),
    ]);
    return handler(ctx);
  };

  it('records a request once, after it ran, with who, what, where and when', async () => {
    const written: UsageEntry[] = [];
    const order: string[] = [];
    await run(
      context(subject),
      async () => void order.push('command'),
      async (e) => void (order.push('log'), written.push(e)),
    );
    expect(order).toEqual(['command', 'log']);
    expect(written).toEqual([
      {
        id: expect.any(String),
        at: clock.now(),
        personId: 'P1',
        personEmail: 'ann@corp.example',
        command: 'audit',
        recordingId: 'REC',
        hostEmail: 'otto@corp.example',
        place: 'group',
        roomId: 'GROUP',
        outcome: 'ok',
      },
    ]);
  });

  it('records a failure with its code and lets it go on to be answered', async () => {
    const written: UsageEntry[] = [];
    const failure = new WebexApiError('Forbidden', { status: 403 });
    await expect(
      run(
        context(subject),
        async () => Promise.reject(failure),
        async (e) => void written.push(e),
      ),
    ).rejects.toBe(failure);
    expect(written.map((e) => e.outcome)).toEqual(['webex_403']);
  });

  it('records a failure the command answered in place', async () => {
    const written: UsageEntry[] = [];
    const ctx = context(subject);
    await run(
      ctx,
      async () => void (ctx.handledFailure = new WebexApiError('Not found', { status: 404 })),
      async (e) => void written.push(e),
    );
    expect(written.map((e) => e.outcome)).toEqual(['webex_404']);
  });

  it('leaves routes without usage out', async () => {
    const addUsage = jest.fn(async () => undefined);
    await run(context(undefined), async () => undefined, addUsage);
    expect(addUsage).not.toHaveBeenCalled();
  });

  it('never breaks the answer when the log cannot be written', async () => {
    logger.error.mockClear();
    let answered = false;
    await run(
      context(subject),
      async () => void (answered = true),
      async () => Promise.reject(new Error('database is locked')),
    );
    expect(answered).toBe(true);
    expect(logger.error).toHaveBeenCalledWith(
      expect.objectContaining({ command: 'audit' }),
      'could not write the usage log',
    );
  });
});
