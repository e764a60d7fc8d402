/**
 * Work the bot has accepted but not finished (an acknowledged webhook, a reply being
 * written). Stopping waits for it, so a restart does not drop what Webex was told was received.
 */
export class InFlight {
  private readonly tasks = new Set<Promise<unknown>>();

  /**
   * Tracks `task` until it settles, and returns it.
   * @example await inFlight.track(runtime.handle(envelope));
   */
  track<T>(task: Promise<T>): Promise<T> {
    this.tasks.add(task);
    task.then(
      () => this.tasks.delete(task),
      () => this.tasks.delete(task),
    );
    return task;
  }

  get size(): number {
    return this.tasks.size;
  }

  /** Waits until nothing is in flight (tasks started meanwhile included), or `timeoutMs`. */
  async drain(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.tasks.size > 0) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      let timer: NodeJS.Timeout | undefined;
      // Cleared after a clean drain: a pending timer would keep the process alive to the deadline.
      await Promise.race([
        Promise.allSettled([...this.tasks]),
        new Promise((resolve) => (timer = setTimeout(resolve, left))),
      ]).finally(() => clearTimeout(timer));
    }
    return true;
  }
}
