/**
 * What the chat page asks the sandbox: its facts (users with their tokens, rooms, recordings)
 * from the control API, and Webex's REST API under `/v1` as one user, same origin.
 */
import type { SandboxFacts } from '../../facts.js';

export type Facts = SandboxFacts;
export type FactsUser = Facts['users'][number];
export type FactsRoom = Facts['rooms'][number];

/** A message as `GET /v1/messages` returns it (the fields the page shows). */
export interface WireMessage {
  id: string;
  roomId: string;
  parentId?: string;
  personId: string;
  personEmail: string;
  text?: string;
  markdown?: string;
  files?: string[];
  attachments?: Array<{ contentType: string; content: unknown }>;
  created: string;
  /** Present once the author has edited the message. */
  updated?: string;
}

/** Which page of `GET /messages` to read. */
export interface MessagePage {
  max?: number;
  beforeMessage?: string;
  before?: string;
}

/** What a user sends: Webex's POST /messages body. */
export type OutgoingMessage = { roomId: string } & ({ text: string } | { markdown: string });

/** A downloaded file and the name the server gave it. */
export interface DownloadedFile {
  blob: Blob;
  filename: string;
}

/** An answer other than 2xx, with Webex's error message when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function failure(response: Response, what: string): Promise<ApiError> {
  let detail = response.statusText;
  try {
    const body = (await response.json()) as { message?: string };
    detail = body.message ?? detail;
  } catch {
    // Not JSON: the status text will do.
  }
  return new ApiError(response.status, `${what} failed (${response.status}): ${detail}`);
}

/**
 * Loads the sandbox's facts from its control API.
 * @example const facts = await loadFacts(); facts.users[0].token
 */
export async function loadFacts(): Promise<Facts> {
  const response = await fetch('/_sandbox/facts', { cache: 'no-store' });
  if (!response.ok) throw await failure(response, 'Loading the sandbox facts');
  return (await response.json()) as Facts;
}

/**
 * The filename in a Content-Disposition header, preferring the RFC 5987 `filename*` form.
 * @example filenameOf('attachment; filename="a.csv"; filename*=UTF-8\'\'a.csv') // 'a.csv'
 */
export function filenameOf(disposition: string | null, fallback = 'download'): string {
  if (!disposition) return fallback;
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition);
  if (extended) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      // Malformed percent-encoding: fall back to the plain form.
    }
  }
  return /filename\s*=\s*"([^"]*)"/i.exec(disposition)?.[1] ?? fallback;
}

/**
 * Webex's REST API as one sandbox user (their personal token), on the page's own origin.
 * @example await new WebexApi(user.token).send({ roomId, text: 'help' });
 */
export class WebexApi {
  constructor(private readonly token: string) {}

  private async call(path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(path, {
      ...init,
      cache: 'no-store',
      headers: {
        Authorization: `Bearer ${this.token}`,
        ...(init.body ? { 'Content-Type': 'application/json' } : {}),
      },
    });
  }

  /**
   * A page of the room's messages, oldest first: the newest `max`, or with `beforeMessage`
   * (an ID) or `before` (an ISO time) the `max` sent before that, as Webex pages them.
   */
  async messages(roomId: string, page: MessagePage = {}): Promise<WireMessage[]> {
    const query = new URLSearchParams({ roomId, max: String(page.max ?? 50) });
    if (page.beforeMessage) query.set('beforeMessage', page.beforeMessage);
    if (page.before) query.set('before', page.before);
    const response = await this.call(`/v1/messages?${query.toString()}`);
    if (!response.ok) throw await failure(response, 'Reading messages');
    const body = (await response.json()) as { items: WireMessage[] };
    return body.items.slice().reverse();
  }

  async send(message: OutgoingMessage): Promise<WireMessage> {
    const response = await this.call('/v1/messages', {
      method: 'POST',
      body: JSON.stringify(message),
    });
    if (!response.ok) throw await failure(response, 'Sending the message');
    return (await response.json()) as WireMessage;
  }

  /** Presses an Action.Submit button on the card of `messageId`. */
  async submit(messageId: string, inputs: object): Promise<void> {
    const response = await this.call('/v1/attachment/actions', {
      method: 'POST',
      body: JSON.stringify({ type: 'submit', messageId, inputs }),
    });
    if (!response.ok) throw await failure(response, 'Sending the card action');
  }

  /** Downloads a message file (`message.files[i]`) with this user's token. */
  async download(url: string): Promise<DownloadedFile> {
    const response = await this.call(url);
    if (!response.ok) throw await failure(response, 'Downloading the file');
    return {
      blob: await response.blob(),
      filename: filenameOf(response.headers.get('Content-Disposition')),
    };
  }
}
