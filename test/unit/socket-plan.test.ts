import { recoveryDelayMs, recoveryStep, SOCKET_BACKOFF } from '../../src/bot/framework/socket-plan';

describe('recoveryDelayMs', () => {
  it('doubles from 1 s to 32 s, between half and all of each step', () => {
    const lowest = [1, 2, 3, 4, 5, 6, 7, 20].map((n) =>
      recoveryDelayMs(n, SOCKET_BACKOFF, () => 0),
    );
    const highest = [1, 2, 3, 4, 5, 6, 7, 20].map((n) =>
      recoveryDelayMs(n, SOCKET_BACKOFF, () => 1),
    );
    expect(highest).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 32000, 32000]);
    expect(lowest).toEqual([500, 1000, 2000, 4000, 8000, 16000, 16000, 16000]);
  });

  it('never waits nothing, even for a nonsense attempt number', () => {
    expect(recoveryDelayMs(0, SOCKET_BACKOFF, () => 0)).toBe(500);
    expect(recoveryDelayMs(-3, SOCKET_BACKOFF, () => 0.5)).toBe(750);
  });
});

describe('recoveryStep', () => {
  it('refreshes the registration first, then replaces it', () => {
    expect([1, 2, 3].map(recoveryStep)).toEqual(['refresh', 'reregister', 'reregister']);
  });
});
