/**
 * Checks a `POST /messages` body the way Webex does, without touching state: one target, some
 * content, at most 7,439 bytes of text or markdown, at most one card and one file.
 */

export const MAX_MESSAGE_BYTES = 7439;
export const ADAPTIVE_CARD_TYPE = 'application/vnd.microsoft.card.adaptive';

export interface MessageAttachment {
  contentType: string;
  content: unknown;
}

export interface MessageInput {
  roomId?: string;
  toPersonId?: string;
  toPersonEmail?: string;
  parentId?: string;
  text?: string;
  markdown?: string;
  /** Public URLs given in a JSON body. */
  fileUrls: string[];
  attachments: MessageAttachment[];
}

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Multipart bodies carry `attachments` as a JSON string; JSON bodies as an array. */
function readAttachments(raw: unknown): Checked<MessageAttachment[]> {
  if (raw === undefined || raw === '') return { ok: true, value: [] };
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return { ok: false, message: 'attachments must be a JSON array.' };
    }
  }
  if (!Array.isArray(value)) value = [value];
  const list = value as unknown[];
  if (list.length > 1) return { ok: false, message: 'Only one attachment per message is allowed.' };
  for (const item of list) {
    const attachment = item as Partial<MessageAttachment> | null;
    if (attachment?.contentType !== ADAPTIVE_CARD_TYPE) {
      return { ok: false, message: `Attachment contentType must be ${ADAPTIVE_CARD_TYPE}.` };
    }
    if (typeof attachment.content !== 'object' || attachment.content === null) {
      return { ok: false, message: 'Attachment content must be an Adaptive Card object.' };
    }
  }
  return { ok: true, value: list as MessageAttachment[] };
}

/**
 * Validates a create-message body; `uploadCount` is the number of multipart `files` parts.
 * @example checkMessageInput({ roomId: 'r', text: 'hi' }, 0) // { ok: true, value: {…} }
 */
export function checkMessageInput(body: unknown, uploadCount: number): Checked<MessageInput> {
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const input: MessageInput = {
    roomId: optionalString(fields, 'roomId'),
    toPersonId: optionalString(fields, 'toPersonId'),
    toPersonEmail: optionalString(fields, 'toPersonEmail'),
    parentId: optionalString(fields, 'parentId'),
    text: optionalString(fields, 'text'),
    markdown: optionalString(fields, 'markdown'),
    fileUrls: [],
    attachments: [],
  };
  const targets = [input.roomId, input.toPersonId, input.toPersonEmail].filter(Boolean).length;
  if (targets === 0) {
    return { ok: false, message: 'One of roomId, toPersonId or toPersonEmail is required.' };
  }
  if (targets > 1) {
    return { ok: false, message: 'Only one of roomId, toPersonId or toPersonEmail may be set.' };
  }
  const files = fields.files;
  if (Array.isArray(files))
    input.fileUrls = files.filter((f): f is string => typeof f === 'string');
  else if (typeof files === 'string' && files !== '') input.fileUrls = [files];
  if (input.fileUrls.length + uploadCount > 1) {
    return { ok: false, message: 'Only one file per message is allowed.' };
  }
  const attachments = readAttachments(fields.attachments);
  if (!attachments.ok) return attachments;
  input.attachments = attachments.value;
  const hasContent =
    input.text ||
    input.markdown ||
    input.fileUrls.length ||
    uploadCount ||
    input.attachments.length;
  if (!hasContent) {
    return { ok: false, message: 'A message needs text, markdown, files or attachments.' };
  }
  for (const key of ['text', 'markdown'] as const) {
    const value = input[key];
    if (value !== undefined && Buffer.byteLength(value, 'utf8') > MAX_MESSAGE_BYTES) {
      return { ok: false, message: `${key} is longer than ${MAX_MESSAGE_BYTES} bytes.` };
    }
  }
  return { ok: true, value: input };
}

/** Webex allows this many edits of one message. */
export const MAX_MESSAGE_EDITS = 10;

export interface MessageEditInput {
  roomId: string;
  text?: string;
  markdown?: string;
}

/**
 * Validates an edit body (`PUT /messages/{id}`): `roomId` and text or markdown, nothing else
 * that carries content (an edit cannot add files or cards), `html` never beside `markdown`.
 * @example checkMessageEdit({ roomId: 'r', text: 'fixed' }) // { ok: true, value: {…} }
 */
export function checkMessageEdit(body: unknown): Checked<MessageEditInput> {
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const roomId = optionalString(fields, 'roomId');
  if (!roomId) return { ok: false, message: 'roomId is required.' };
  const hasList = (key: string) =>
    fields[key] !== undefined &&
    fields[key] !== '' &&
    !(Array.isArray(fields[key]) && fields[key].length === 0);
  if (hasList('files') || hasList('attachments')) {
    return { ok: false, message: 'Editing files or attachments is not supported.' };
  }
  const input: MessageEditInput = {
    roomId,
    text: optionalString(fields, 'text'),
    markdown: optionalString(fields, 'markdown'),
  };
  if (!input.text && !input.markdown) {
    return { ok: false, message: 'An edit needs text or markdown.' };
  }
  if (input.markdown && fields.html !== undefined) {
    return { ok: false, message: 'Remove html from the body when it has markdown.' };
  }
  for (const key of ['text', 'markdown'] as const) {
    const value = input[key];
    if (value !== undefined && Buffer.byteLength(value, 'utf8') > MAX_MESSAGE_BYTES) {
      return { ok: false, message: `${key} is longer than ${MAX_MESSAGE_BYTES} bytes.` };
    }
  }
  return { ok: true, value: input };
}
