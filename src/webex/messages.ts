import { Readable } from 'node:stream';
import { bearer, type WebexHttp } from './client';

/** Where a message goes: a space, or one person privately. Exactly one of them. */
export type MessageTarget =
  | { roomId: string; toPersonId?: undefined; toPersonEmail?: undefined }
  | { toPersonId: string; roomId?: undefined; toPersonEmail?: undefined }
  | { toPersonEmail: string; roomId?: undefined; toPersonId?: undefined };

/** An Adaptive Card attachment as Webex expects it. */
export interface CardAttachment {
  contentType: 'application/vnd.microsoft.card.adaptive';
  content: object;
}

export type NewMessage = MessageTarget & {
  markdown: string;
  /** Plain-text fallback for clients that cannot render markdown or cards. */
  text?: string;
  /** Replies in the thread of this message. */
  parentId?: string;
  /** At most one card per message (Webex rule). */
  attachments?: CardAttachment[];
};

export type NewFileMessage = (
  { roomId: string; toPersonId?: undefined } | { toPersonId: string; roomId?: undefined }
) & {
  markdown: string;
  parentId?: string;
  filename: string;
  contentType: string;
  /** File content. A stream is read into memory first, so a retried upload can resend it. */
  data: Buffer | Readable;
};

/** The fields of a created message we use. */
export interface SentMessage {
  id: string;
  roomId?: string;
  parentId?: string;
  /** Who posted it (the bot, for its own posts). */
  personId?: string;
}

/** A message as read back: who posted it where, and its card, if any. */
export interface PostedMessage extends SentMessage {
  attachments?: Array<{ contentType?: string; content?: unknown }>;
}

/**
 * Posts a message (markdown, optional card) as the bot. Goes through the retry layer.
 *
 * @example
 * await sendMessage(http, botToken, { toPersonId, markdown: 'Linked ✅', attachments: [card] });
 */
export async function sendMessage(
  http: WebexHttp,
  botToken: string,
  message: NewMessage,
): Promise<SentMessage> {
  const body = Object.fromEntries(Object.entries(message).filter(([, v]) => v !== undefined));
  const { data } = await http.post<Record<string, unknown>>('/messages', body, {
    headers: bearer(botToken),
  });
  return toSent(data);
}

/**
 * Uploads a file with a markdown message, as `multipart/form-data` in the `files` field.
 *
 * @example
 * await sendFile(http, botToken, { toPersonId, markdown: 'CSV', filename: 'audit.csv',
 *   contentType: 'text/csv', data: Buffer.from(csv) });
 */
export async function sendFile(
  http: WebexHttp,
  botToken: string,
  message: NewFileMessage,
): Promise<SentMessage> {
  const bytes = Buffer.isBuffer(message.data) ? message.data : await readAll(message.data);
  const form = new FormData();
  if (message.roomId) form.append('roomId', message.roomId);
  if (message.toPersonId) form.append('toPersonId', message.toPersonId);
  form.append('markdown', message.markdown);
  if (message.parentId) form.append('parentId', message.parentId);
  form.append(
    'files',
    new Blob([new Uint8Array(bytes)], { type: message.contentType }),
    message.filename,
  );
  const { data } = await http.post<Record<string, unknown>>('/messages', form, {
    headers: bearer(botToken),
  });
  return toSent(data);
}

function toSent(data: Record<string, unknown>): SentMessage {
  const sent: SentMessage = { id: String(data?.id ?? '') };
  if (typeof data?.roomId === 'string') sent.roomId = data.roomId;
  if (typeof data?.parentId === 'string') sent.parentId = data.parentId;
  if (typeof data?.personId === 'string') sent.personId = data.personId;
  return sent;
}

/**
 * Reads one message (as the bot: one in a space it is in).
 *
 * @example
 * const message = await getMessage(http, botToken, click.messageId);
 */
export async function getMessage(
  http: WebexHttp,
  botToken: string,
  messageId: string,
): Promise<PostedMessage> {
  const { data } = await http.get<Record<string, unknown>>(
    `/messages/${encodeURIComponent(messageId)}`,
    { headers: bearer(botToken) },
  );
  const attachments = Array.isArray(data?.attachments)
    ? (data.attachments as PostedMessage['attachments'])
    : undefined;
  return { ...toSent(data), ...(attachments ? { attachments } : {}) };
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array));
  }
  return Buffer.concat(chunks);
}

/**
 * Replaces the markdown of a message the bot posted (`PUT /messages/{id}`). Webex allows it
 * only for messages without files or cards, at most 10 times per message.
 *
 * @example
 * await editMessage(http, botToken, sent.id, { roomId: sent.roomId, markdown: 'Done.' });
 */
export async function editMessage(
  http: WebexHttp,
  botToken: string,
  messageId: string,
  edit: { roomId: string; markdown: string },
): Promise<SentMessage> {
  const { data } = await http.put<Record<string, unknown>>(
    `/messages/${encodeURIComponent(messageId)}`,
    edit,
    { headers: bearer(botToken) },
  );
  return toSent(data);
}

/**
 * Deletes a message the bot posted.
 *
 * @example
 * await deleteMessage(http, botToken, sent.id);
 */
export async function deleteMessage(
  http: WebexHttp,
  botToken: string,
  messageId: string,
): Promise<void> {
  await http.delete(`/messages/${encodeURIComponent(messageId)}`, { headers: bearer(botToken) });
}
