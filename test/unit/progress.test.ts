/**
 * Progress on long audits: the pure throttle (when to post, when to edit) and the class that
 * sends, both on a fake clock.
 */
import pino from 'pino';
import { english, translatorFor } from '../../src/locales';
import {
  AuditProgress,
  type ProgressClock,
  type ProgressOutlet,
} from '../../src/bot/commands/progress';
import {
  PROGRESS_POLICY,
  decideProgress,
  progressAnswered,
  progressSending,
  progressStarted,
  progressText,
} from '../../src/bot/progress-plan';

/** A clock that moves only when told, running the timers that fall due. */
class FakeClock implements ProgressClock {
  private time = 0;
  private timers: Array<{ at: number; run: () => void; id: number }> = [];
  private nextId = 1;

  now(): number {
    return this.time;
  }

  setTimeout(run: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.time + ms, run, id });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  /** Moves time forward, running due timers, and lets answered sends settle. */
  async advance(ms: number): Promise<void> {
    this.time += ms;
    const due = this.timers.filter((t) => t.at <= this.time);
    this.timers = this.timers.filter((t) => t.at > this.time);
    for (const timer of due) timer.run();
    await settle();
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

/** Records what a person would see: the message, its edits, and whether it is gone. */
function recordingOutlet(options: { failEdits?: boolean } = {}) {
  const seen = {
    posts: [] as string[],
    edits: [] as Array<{ at: number; markdown: string }>,
    removed: [] as string[],
  };
  let editAttempts = 0;
  let clock: FakeClock | undefined;
  const outlet: ProgressOutlet = {
    post: async (markdown) => {
      seen.posts.push(markdown);
      return { id: `m${seen.posts.length}`, roomId: 'room' };
    },
    edit: async (_message, markdown) => {
      editAttempts++;
      if (options.failEdits) throw new Error('400 edit limit');
      seen.edits.push({ at: clock?.now() ?? 0, markdown });
    },
    remove: async (id) => {
      seen.removed.push(id);
    },
  };
  return {
    seen,
    outlet,
    withClock: (c: FakeClock) => (clock = c),
    editAttempts: () => editAttempts,
  };
}

const quiet = pino({ level: 'silent' });

describe('decideProgress', () => {
  it('posts only once the audit has run 1.5 s', () => {
    const state = progressStarted(1_000);
    expect(decideProgress(state, 2_499, 300)).toBe('none');
    expect(decideProgress(state, 2_500, 300)).toBe('post');
  });

  it('edits only when the count changed, 2 s after Webex answered the last change', () => {
    let state = progressSending(progressStarted(0), 'post', 700);
    expect(decideProgress(state, 1_600, 800)).toBe('none'); // the post is in flight
    state = progressAnswered(state, 1_800, true);
    expect(decideProgress(state, 3_799, 1_500)).toBe('none');
    expect(decideProgress(state, 3_800, 700)).toBe('none'); // same count as shown
    expect(decideProgress(state, 3_800, 1_500)).toBe('edit');
  });

  it('stops at 8 edits, leaving room under Webex’s 10 for the error text', () => {
    let state = progressAnswered(progressSending(progressStarted(0), 'post', 1), 1_500, true);
    let now = 1_500;
    let read = 1;
    let edits = 0;
    for (let i = 0; i < 20; i++) {
      now += 2_000;
      read += 100;
      if (decideProgress(state, now, read) !== 'edit') continue;
      edits++;
      state = progressAnswered(progressSending(state, 'edit', read), now, true);
    }
    expect(edits).toBe(PROGRESS_POLICY.maxEdits);
    expect(PROGRESS_POLICY.maxEdits).toBeLessThan(10);
  });

  it('does not post again after a failed post', () => {
    const state = progressAnswered(progressSending(progressStarted(0), 'post', 5), 1_600, false);
    expect(decideProgress(state, 10_000, 900)).toBe('none');
  });
});

describe('progressText', () => {
  it('says how many are read, in the person’s locale', () => {
    expect(progressText(1200, english())).toBe('Reading the access report… 1,200 read so far');
    expect(progressText(1200, translatorFor('de-DE'))).toBe(
      'Zugriffsbericht wird gelesen… 1.200 bisher gelesen',
    );
    expect(progressText(0, english())).toBe('Reading the access report…');
  });

  it('gives the expected total when one is known', () => {
    expect(progressText(1200, english(), 2500)).toBe(
      'Reading the access report… 1,200 of about 2,500',
    );
    // An estimate already passed is no longer "about" anything.
    expect(progressText(2600, english(), 2500)).toBe(
      'Reading the access report… 2,600 read so far',
    );
  });
});

describe('AuditProgress on a fake clock', () => {
  /** Pages of 100 records every `pageMs`, `pages` of them. */
  async function readPages(
    clock: FakeClock,
    progress: AuditProgress,
    pages: number,
    pageMs: number,
  ): Promise<void> {
    for (let page = 1; page <= pages; page++) {
      await clock.advance(pageMs);
      progress.read(page * 100);
      await settle();
    }
  }

  it('posts nothing for an audit shorter than 1.5 s', async () => {
    const clock = new FakeClock();
    const { seen, outlet, withClock } = recordingOutlet();
    withClock(clock);
    const progress = new AuditProgress({ outlet, logger: quiet, clock });
    progress.start('en-US');
    await readPages(clock, progress, 7, 200);
    await progress.finish();
    await clock.advance(5_000); // the 1.5 s timer was cancelled
    expect(seen).toEqual({ posts: [], edits: [], removed: [] });
  });

  it('posts at 1.5 s, edits every 2 s at most 8 times, and removes the message at the end', async () => {
    const clock = new FakeClock();
    const { seen, outlet, withClock } = recordingOutlet();
    withClock(clock);
    const progress = new AuditProgress({ outlet, logger: quiet, clock });
    progress.start('en-US');
    // 10,000 records over 20 s; the 1.5 s timer fires at the 8th page's tick (1.6 s).
    await readPages(clock, progress, 100, 200);
    await progress.finish();
    expect(seen.posts).toEqual(['Reading the access report… 700 read so far']);
    expect(seen.edits.length).toBeGreaterThan(1);
    expect(seen.edits.length).toBeLessThanOrEqual(8);
    const times = [1_600, ...seen.edits.map((e) => e.at)];
    for (let i = 1; i < times.length; i++) {
      expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(2_000);
    }
    expect(seen.edits[0].markdown).toBe('Reading the access report… 1,800 read so far');
    expect(seen.removed).toEqual(['m1']);
  });

  it('shows the message even before the first page arrives', async () => {
    const clock = new FakeClock();
    const { seen, outlet } = recordingOutlet();
    const progress = new AuditProgress({ outlet, logger: quiet, clock });
    progress.start('en-US');
    await clock.advance(1_500);
    expect(seen.posts).toEqual(['Reading the access report…']);
  });

  it('turns the message into the error text on failure', async () => {
    const clock = new FakeClock();
    const { seen, outlet, withClock } = recordingOutlet();
    withClock(clock);
    const progress = new AuditProgress({ outlet, logger: quiet, clock });
    progress.start('en-US');
    await readPages(clock, progress, 10, 200);
    expect(await progress.fail('**Webex refused**')).toBe(true);
    expect(seen.edits.at(-1)?.markdown).toBe('**Webex refused**');
    expect(seen.removed).toEqual([]);
  });

  it('says it has no message to fail when the audit failed early', async () => {
    const clock = new FakeClock();
    const { seen, outlet } = recordingOutlet();
    const progress = new AuditProgress({ outlet, logger: quiet, clock });
    progress.start('en-US');
    await readPages(clock, progress, 2, 200);
    expect(await progress.fail('**Webex refused**')).toBe(false);
    await clock.advance(5_000);
    expect(seen.posts).toEqual([]);
  });

  it('stops editing after an edit fails, and still removes the message', async () => {
    const clock = new FakeClock();
    const { seen, outlet, editAttempts } = recordingOutlet({ failEdits: true });
    const progress = new AuditProgress({ outlet, logger: quiet, clock });
    progress.start('en-US');
    await readPages(clock, progress, 50, 200);
    await progress.finish();
    expect(seen.posts).toHaveLength(1);
    expect(editAttempts()).toBe(1);
    expect(seen.removed).toEqual(['m1']);
  });
});
