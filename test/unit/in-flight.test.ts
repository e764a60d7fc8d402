import { InFlight } from '../../src/in-flight';

describe('InFlight', () => {
  it('waits for tracked work, including work started while draining', async () => {
    const inFlight = new InFlight();
    const done: string[] = [];
    inFlight.track(
      new Promise<void>((resolve) =>
        setTimeout(() => {
          done.push('first');
          inFlight.track(
            new Promise<void>((r) => setTimeout(() => (done.push('second'), r()), 20)),
          );
          resolve();
        }, 20),
      ),
    );
    expect(await inFlight.drain(1_000)).toBe(true);
    expect(done).toEqual(['first', 'second']);
    expect(inFlight.size).toBe(0);
  });

  it('gives up after the timeout and forgets failed work', async () => {
    const inFlight = new InFlight();
    inFlight.track(new Promise(() => undefined));
    expect(await inFlight.drain(30)).toBe(false);
    const failing = inFlight.track(Promise.reject(new Error('boom')));
    await expect(failing).rejects.toThrow('boom');
    expect(inFlight.size).toBe(1);
  });
});

describe('InFlight.drain timers', () => {
  it('leaves no timer behind once the work is done', async () => {
    const inFlight = new InFlight();
    inFlight.track(new Promise((resolve) => setTimeout(resolve, 10)));
    const timersBefore = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    expect(await inFlight.drain(60_000)).toBe(true);
    const timersAfter = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    // The tracked task's own timer has fired; a forgotten 60 s drain timer would still count.
    // At most: timers another test file left in this worker may fire meanwhile too.
    expect(timersAfter).toBeLessThanOrEqual(timersBefore - 1);
  });
});
