/** The inbox's pure decisions: retry pauses and when to give up. */
import {
  afterFailure,
  DEFAULT_INBOX_POLICY,
  describeFailure,
  isRetryable,
  retryDelayMs,
} from '../../src/inbox/policy';

const retryable = Object.assign(new Error('could not read the messages event'), {
  retryable: true,
});
const middle = () => 0.5;

describe('retryDelayMs', () => {
  it('doubles from the first pause up to the cap', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8].map((n) =>
      retryDelayMs(n, DEFAULT_INBOX_POLICY, middle),
    );
    expect(delays).toEqual([2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
  });

  it('spreads pauses over 80–120 %', () => {
    expect(retryDelayMs(1, DEFAULT_INBOX_POLICY, () => 0)).toBe(1_600);
    expect(retryDelayMs(1, DEFAULT_INBOX_POLICY, () => 0.999_999)).toBe(2_400);
  });
});

describe('afterFailure', () => {
  const T0 = 1_700_000_000_000;

  it('retries a retryable failure later', () => {
    const next = afterFailure(
      { attempts: 1, receivedAt: T0, now: T0 + 500, error: retryable },
      DEFAULT_INBOX_POLICY,
      middle,
    );
    expect(next).toEqual({ kind: 'retry', at: T0 + 2_500 });
  });

  it('gives up at once on a failure that would happen again', () => {
    const next = afterFailure(
      { attempts: 1, receivedAt: T0, now: T0, error: new Error('a bug') },
      DEFAULT_INBOX_POLICY,
    );
    expect(next).toEqual({ kind: 'give-up', why: 'not retryable' });
  });

  it('keeps retrying for about ten minutes after the event arrived, then gives up', () => {
    let now = T0;
    let attempts = 0;
    for (;;) {
      attempts += 1;
      const next = afterFailure(
        { attempts, receivedAt: T0, now, error: retryable },
        DEFAULT_INBOX_POLICY,
        middle,
      );
      if (next.kind === 'give-up') break;
      now = next.at;
    }
    expect(now - T0).toBeLessThanOrEqual(DEFAULT_INBOX_POLICY.retryForMs);
    expect(now - T0).toBeGreaterThan(DEFAULT_INBOX_POLICY.retryForMs - 60_000);
    // Pauses of 2, 4, 8, 16, 32 s, then 60 s: 13 retries fit, the 14th attempt is the last.
    expect(attempts).toBe(14);
  });
});

describe('failure descriptions', () => {
  it('say what failed and why, briefly', () => {
    const cause = new Error('timeout of 10000ms exceeded');
    const err = Object.assign(new Error('could not read the messages event', { cause }), {
      code: 'event_read_failed',
    });
    expect(describeFailure(err)).toBe(
      'event_read_failed could not read the messages event: timeout of 10000ms exceeded',
    );
    expect(describeFailure('x'.repeat(1000))).toHaveLength(300);
    expect(isRetryable(err)).toBe(false);
    expect(isRetryable(retryable)).toBe(true);
    expect(isRetryable(null)).toBe(false);
  });
});
