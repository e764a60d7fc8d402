/**
 * Waits until `condition` holds, checking every `everyMs`; fails naming `what` after
 * `timeoutMs`. Tests wait on a condition they can see, never on a fixed sleep.
 * @example await until('the bot to be ready', () => isReady(url));
 */
export async function until(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
  everyMs = 25,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
