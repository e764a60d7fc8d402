/**
 * Middleware in the manner of grammY's composer and bolt's built-in middleware: each step
 * gets the context and `next`, does one thing, and calls `next` to let the rest run (or
 * does not, to stop there).
 */

export type Next = () => Promise<void>;

/** One named step; the name shows in logs and tests. */
export interface Step<C> {
  readonly name: string;
  run(ctx: C, next: Next): Promise<void>;
}

/**
 * A step from a name and a function.
 * @example const logged = step('logged', async (ctx, next) => { log(ctx); await next(); });
 */
export function step<C>(name: string, run: (ctx: C, next: Next) => Promise<void>): Step<C> {
  return { name, run };
}

/**
 * Runs `steps` in order, each inside the one before it.
 * @example const handle = compose([ignoreOwnMessages(selfId), errorBoundary(services), ...]);
 */
export function compose<C>(steps: readonly Step<C>[]): (ctx: C) => Promise<void> {
  return (ctx) => {
    const runFrom = async (index: number): Promise<void> => {
      const current = steps[index];
      if (!current) return;
      let called = false;
      await current.run(ctx, () => {
        // A second call would run the rest of the pipeline twice.
        if (called) throw new Error(`step "${current.name}" called next() twice`);
        called = true;
        return runFrom(index + 1);
      });
    };
    return runFrom(0);
  };
}
