/**
 * The framework prints a line with `console.log` each time its websocket mode starts or stops,
 * in the middle of the bot's structured logs. While it starts or stops, those known lines go to
 * the bot's logger instead; anything else it prints is left as it is.
 */

/** What webex-node-bot-framework/lib/websocket.js prints on every start and stop. */
export const FRAMEWORK_CHATTER: ReadonlySet<string> = new Set([
  'Listening for webex teams events...',
  'Stopped listening for webex teams events...',
]);

/**
 * Runs `work` with the framework's known lines sent to `log`, not to stdout.
 * @example await withFrameworkChatter((line) => logger.info({}, line), () => framework.start());
 */
export async function withFrameworkChatter<T>(
  log: (line: string) => void,
  work: () => Promise<T>,
): Promise<T> {
  const original = console.log;
  const diverted = (...args: unknown[]): void => {
    const [line] = args;
    if (args.length === 1 && typeof line === 'string' && FRAMEWORK_CHATTER.has(line)) log(line);
    else original.apply(console, args);
  };
  console.log = diverted;
  try {
    return await work();
  } finally {
    // Only if nobody replaced it meanwhile.
    if (console.log === diverted) console.log = original;
  }
}
