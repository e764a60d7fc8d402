/**
 * The framework sets a space up (its "bot object": room, and for a 1:1 its memberships) the
 * first time the space speaks. Its `spawn` answers `false` to a second caller while a set-up
 * for the same space runs, and to any caller once the space is set up, and the message that
 * asked is then ignored. On first contact Webex sends `rooms`, `memberships` and `messages`
 * events at once, so the message usually loses: 5 of 5 first messages from new people, with
 * nothing logged.
 */
import type Framework from 'webex-node-bot-framework';

/** Where a failed set-up is told (the framework itself says nothing). */
export interface SpawnLogger {
  warn(obj: Record<string, unknown>, msg: string): void;
}

/**
 * Makes concurrent set-ups of one space share one run, and makes every caller's answer "is
 * the space set up now", so the framework goes on to handle the message that asked.
 * @example joinConcurrentSpawns(framework, logger); // before framework.start()
 */
export function joinConcurrentSpawns(
  framework: Pick<Framework, 'spawn' | 'findBotObjectInRoom'>,
  logger?: SpawnLogger,
): void {
  const original = framework.spawn.bind(framework);
  const running = new Map<string, Promise<boolean>>();
  const isSetUp = (roomId: string) => framework.findBotObjectInRoom(roomId) !== undefined;
  framework.spawn = (membership, actorId) => {
    const roomId = membership?.roomId;
    if (typeof roomId !== 'string') return original(membership, actorId);
    if (isSetUp(roomId)) return Promise.resolve(true);
    let run = running.get(roomId);
    if (!run) {
      run = Promise.resolve(original(membership, actorId))
        .catch((err: unknown) => {
          logger?.warn({ err, roomId }, 'could not set the space up; its message is not answered');
          return false;
        })
        .finally(() => running.delete(roomId));
      running.set(roomId, run);
    }
    return run.then(() => isSetUp(roomId));
  };
}
