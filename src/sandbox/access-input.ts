/**
 * Access records added to a recording while the sandbox runs (`POST /_sandbox/recordings/:id/
 * access`), so a watch or a digest has something new to find: the body's rules and the records
 * it makes. Pure: the route applies them to the state.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';
import { isoSeconds } from './seed-recordings';
import type { SandboxAccessRecord, SandboxRecording } from './state';

/** At most this many records per request. */
export const ACCESS_RECORDS_PER_REQUEST = 1000;

const accessInputSchema = z.object({
  email: z.email({ error: 'must be an email address' }),
  name: z.string().trim().min(1, { error: 'must not be empty' }).max(200),
  action: z.enum(['view', 'download'], { error: 'must be "view" or "download"' }),
  /** ISO 8601 with an offset; default: the sandbox's now. */
  accessTime: z.string().optional(),
});

const accessList = z
  .array(accessInputSchema, { error: 'must be a list of {email, name, action, accessTime?}' })
  .min(1, { error: 'must hold at least one access' })
  .max(ACCESS_RECORDS_PER_REQUEST, {
    error: `may hold at most ${ACCESS_RECORDS_PER_REQUEST} accesses per request`,
  });

const bodySchema = z.union([accessList, z.object({ records: accessList })], {
  error: 'must be a list of {email, name, action, accessTime?}, or {"records": [...]}',
});

export type AccessInput = z.infer<typeof accessInputSchema>;

/** Records ready to add, or the message of a 400. */
export type AccessRecordsToAdd =
  { ok: true; records: SandboxAccessRecord[] } | { ok: false; message: string };

/** The first problem zod found, as `records[2].email must be an email address`. */
function firstIssue(error: z.ZodError): string {
  // A union reports the branch closest to the input; its issues carry the path.
  const issue = error.issues[0];
  const inner =
    issue?.code === 'invalid_union'
      ? issue.errors.map((branch) => branch[0]).find((i) => i && i.path.length > 0)
      : undefined;
  const chosen = inner ?? issue;
  const path = (chosen?.path ?? [])
    .map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`))
    .join('')
    .replace(/^\./, '');
  return `${path || 'body'} ${chosen?.message ?? 'is not valid'}`;
}

/**
 * Checks the body and makes the records: `view` is viewed only, `download` downloaded only;
 * `accessTime` needs an offset (or `Z`), may not be in the future nor before the recording was
 * made, and is stored in UTC to the second.
 * @example accessRecordsToAdd([{ email: 'eve@outside.example', name: 'Eve', action: 'download' }], rec, Date.now())
 */
export function accessRecordsToAdd(
  body: unknown,
  recording: Pick<SandboxRecording, 'timeRecorded'>,
  nowMs: number,
): AccessRecordsToAdd {
  const parsed = bodySchema.safeParse(body);
  if (!parsed.success)
    return { ok: false, message: `Invalid access records: ${firstIssue(parsed.error)}` };
  const inputs = Array.isArray(parsed.data) ? parsed.data : parsed.data.records;
  const recordedMs = Date.parse(recording.timeRecorded);
  const records: SandboxAccessRecord[] = [];
  for (const [index, input] of inputs.entries()) {
    const at = `records[${index}].accessTime`;
    let accessMs = nowMs;
    if (input.accessTime !== undefined) {
      const time = DateTime.fromISO(input.accessTime, { setZone: true });
      if (!time.isValid || !/(Z|[+-]\d{2}(:?\d{2})?)$/i.test(input.accessTime)) {
        return {
          ok: false,
          message: `Invalid access records: ${at} must be an ISO 8601 time with an offset, e.g. 2024-06-03T09:15:00Z`,
        };
      }
      accessMs = time.toMillis();
    }
    if (accessMs > nowMs) {
      return { ok: false, message: `Invalid access records: ${at} cannot be in the future` };
    }
    if (accessMs < recordedMs) {
      return {
        ok: false,
        message: `Invalid access records: ${at} cannot be before the recording was made (${recording.timeRecorded})`,
      };
    }
    records.push({
      name: input.name,
      email: input.email,
      accessTime: isoSeconds(accessMs),
      viewed: input.action === 'view',
      downloaded: input.action === 'download',
    });
  }
  return { ok: true, records };
}
