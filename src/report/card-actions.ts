/**
 * What card buttons carry. Every button holds all it needs to be answered (so any replica
 * can answer it, with no session on the server) and the ID of the person the card was made
 * for (so nobody else can use it).
 */
import { z } from 'zod';

const filterSchema = z.enum(['everyone', 'viewed', 'downloaded', 'external']);

/** The view of a report a button asks for. */
const reportView = {
  recordingId: z.string().min(1).max(256),
  hostEmail: z.string().max(254).optional(),
  /** Only a zone given on the command; otherwise the zone is resolved again on each click. */
  tz: z.string().max(64).optional(),
  filter: filterSchema.default('everyone'),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  requesterId: z.string().min(1),
};

/**
 * Watch buttons (src/bot/commands/watch.ts): "Watch" on a report card starts a watch of its
 * recording with the defaults; "Audit" on a watch alert runs the watcher's audit.
 */
const watchRecording = {
  recordingId: z.string().min(1).max(256),
  hostEmail: z.string().max(254).optional(),
  requesterId: z.string().min(1),
};
const watchActionSchemas = [
  z.object({ action: z.literal('watch.start'), ...watchRecording }),
  z.object({ action: z.literal('watch.audit'), ...watchRecording }),
] as const;

/**
 * The data of a report card's Watch button (for cards/audit-report.json).
 * @example watchActionData({ recordingId: 'r', requesterId: 'p' }) // { action: 'watch.start', recordingId: 'r', requesterId: 'p' }
 */
export function watchActionData(
  view: Pick<ReportView, 'recordingId' | 'hostEmail' | 'requesterId'>,
) {
  return withoutUndefined({
    action: 'watch.start' as const,
    recordingId: view.recordingId,
    hostEmail: view.hostEmail,
    requesterId: view.requesterId,
  });
}

/**
 * The data of the Audit button on a watch alert: the watcher's own audit of the recording.
 * @example watchAuditData({ recordingId: 'r', requesterId: 'p' }) // { action: 'watch.audit', recordingId: 'r', requesterId: 'p' }
 */
export function watchAuditData(watch: {
  recordingId: string;
  hostEmail?: string;
  requesterId: string;
}) {
  return withoutUndefined({
    action: 'watch.audit' as const,
    recordingId: watch.recordingId,
    hostEmail: watch.hostEmail,
    requesterId: watch.requesterId,
  });
}

const cardActionSchema = z.discriminatedUnion('action', [
  ...watchActionSchemas,
  z.object({ action: z.literal('audit.page'), ...reportView }),
  z.object({ action: z.literal('audit.export'), ...reportView }),
  z.object({ action: z.literal('audit.refresh'), ...reportView }),
  z.object({
    action: z.literal('recordings.audit'),
    requesterId: z.string().min(1),
    hostEmail: z.string().max(254).optional(),
    /** The Input.ChoiceSet's value. */
    recordingChoice: z.string().max(256).optional(),
  }),
  // The weekly digest's Audit buttons (src/report/digest.ts): a recording, or the card's picker.
  z.object({
    action: z.literal('digest.audit'),
    requesterId: z.string().min(1),
    recordingId: z.string().min(1).max(256).optional(),
    hostEmail: z.string().max(254).optional(),
    recordingChoice: z.string().max(256).optional(),
  }),
  // The Help button of short answers and of the welcome. Help is what typing `help` gives
  // anyone, so it names no requester: whoever presses it gets the help card.
  z.object({
    action: z.literal('help.show'),
    /** The thread to answer in, in a group space (the root the short answer was posted in). */
    threadId: z.string().min(1).max(256).optional(),
  }),
]);

/** The data of a Help button; `threadId` keeps the help in the thread it was asked from. */
export function helpAction(threadId?: string): Extract<CardAction, { action: 'help.show' }> {
  return threadId ? { action: 'help.show', threadId } : { action: 'help.show' };
}

export type CardAction = z.infer<typeof cardActionSchema>;
export type ReportAction = Extract<CardAction, { action: `audit.${string}` }>;
export type ReportView = Omit<ReportAction, 'action'>;
export type WatchAction = Extract<CardAction, { action: `watch.${string}` }>;

/**
 * Reads a click's inputs (button data merged with the card's inputs); null when they are
 * not one of ours.
 * @example parseCardAction({ action: 'audit.page', recordingId: 'r', page: '2', requesterId: 'p' })
 */
export function parseCardAction(inputs: Record<string, unknown>): CardAction | null {
  const merged = { ...inputs };
  // Cards posted before the filter buttons had a "Show" choice, submitted with every button;
  // a new choice starts on page 1.
  if (typeof inputs.filterChoice === 'string' && inputs.filterChoice !== inputs.filter) {
    merged.filter = inputs.filterChoice;
    merged.page = 1;
  }
  const parsed = cardActionSchema.safeParse(merged);
  return parsed.success ? parsed.data : null;
}

/** The data of each button on a report card showing `view` (with `pageCount` pages). */
export function reportActions(view: ReportView, pageCount: number) {
  const at = (action: ReportAction['action'], changes: Partial<ReportView> = {}) =>
    withoutUndefined({ action, ...view, ...changes });
  return {
    hasPrev: view.page > 1,
    hasNext: view.page < pageCount,
    prev: at('audit.page', { page: view.page - 1 }),
    next: at('audit.page', { page: view.page + 1 }),
    export: at('audit.export'),
    refresh: at('audit.refresh'),
    /** A filter applies at once, from the first page. */
    filters: {
      everyone: at('audit.page', { filter: 'everyone', page: 1 }),
      viewed: at('audit.page', { filter: 'viewed', page: 1 }),
      downloaded: at('audit.page', { filter: 'downloaded', page: 1 }),
      external: at('audit.page', { filter: 'external', page: 1 }),
    },
    /** Starts a watch of the recording with the defaults (src/bot/commands/watch.ts). */
    watch: watchActionData(view),
  };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Whether a card (a message's attachment content) is a report card made for `requesterId`
 * about `recordingId`: some button of it asks for a view of that report for that person. Only
 * such a card is replaced (deleted) when one of its buttons shows another view.
 * @example isReportCardFor(message.attachments?.[0]?.content, 'PERSON', 'rec1') // true
 */
export function isReportCardFor(card: unknown, requesterId: string, recordingId: string): boolean {
  let found = false;
  const visit = (node: unknown): void => {
    if (found || !node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    const element = node as Record<string, unknown>;
    if (element.type === 'Action.Submit' && element.data && typeof element.data === 'object') {
      const action = parseCardAction(element.data as Record<string, unknown>);
      found =
        action !== null &&
        action.action.startsWith('audit.') &&
        'recordingId' in action &&
        action.requesterId === requesterId &&
        action.recordingId === recordingId;
    }
    Object.values(element).forEach(visit);
  };
  visit(card);
  return found;
}
