/**
 * The reads the framework makes through the SDK, for every event (sender, message, card
 * click) and when a space first speaks (room, memberships), done by our own client instead.
 * The SDK's batched people lookup delays every event by `batcherWait` (100 ms) and can wedge a
 * person after one failure, and none of its reads retry a 429 or a 5xx: a failed read drops
 * the event, or the space's set-up, without a word.
 */
import { LRUCache } from 'lru-cache';
import type {
  SdkPage,
  WebexAttachmentAction,
  WebexMembership,
  WebexMessage,
  WebexPerson,
  WebexRoom,
  WebexSdk,
} from 'webex-node-bot-framework';
import { bearer, type WebexHttp } from '../../webex/client';
import { iterateItems } from '../../webex/paging';

export interface SdkReads {
  getPerson(personId: string): Promise<WebexPerson>;
  getMessage(messageId: string): Promise<WebexMessage>;
  getAttachmentAction(actionId: string): Promise<WebexAttachmentAction>;
  getRoom(roomId: string): Promise<WebexRoom>;
  getMembership(membershipId: string): Promise<WebexMembership>;
  listMemberships(filter: Record<string, string | number | undefined>): Promise<WebexMembership[]>;
}

/**
 * The reads as the bot, through our retrying client; people are cached for ten minutes.
 * @example replaceSdkReads(framework.webex, botReads(http, botToken));
 */
export function botReads(http: WebexHttp, botToken: string): SdkReads {
  const people = new LRUCache<string, WebexPerson>({ max: 5_000, ttl: 10 * 60_000 });
  const read = async <T>(path: string): Promise<T> =>
    (await http.get<T>(path, { headers: bearer(botToken) })).data;
  const one = (collection: string, id: string) => `/${collection}/${encodeURIComponent(id)}`;
  return {
    async getPerson(personId) {
      const cached = people.get(personId);
      if (cached) return cached;
      const person = await read<WebexPerson>(one('people', personId));
      people.set(personId, person);
      return person;
    },
    getMessage: (id) => read(one('messages', id)),
    getAttachmentAction: (id) => read(one('attachment/actions', id)),
    getRoom: (id) => read(one('rooms', id)),
    getMembership: (id) => read(one('memberships', id)),
    async listMemberships(filter) {
      const all: WebexMembership[] = [];
      const pages = iterateItems(http, {
        token: botToken,
        path: '/memberships',
        params: { max: 100, ...filter },
      });
      for await (const items of pages) all.push(...(items as WebexMembership[]));
      return all;
    },
  };
}

/**
 * Points the SDK methods the framework calls at `reads`. Call after `framework.start()` (which
 * creates the SDK instance) and before any event is handed over.
 * @example replaceSdkReads(framework.webex, botReads(http, botToken));
 */
export function replaceSdkReads(webex: WebexSdk, reads: SdkReads): void {
  const idOf = (ref: string | { id: string }) => (typeof ref === 'string' ? ref : ref.id);
  webex.people.get = (person) => reads.getPerson(idOf(person));
  webex.messages.get = (message) => reads.getMessage(idOf(message));
  webex.attachmentActions.get = (action) => reads.getAttachmentAction(idOf(action));
  webex.rooms.get = (room) => reads.getRoom(idOf(room));
  webex.memberships.get = (membership) => reads.getMembership(idOf(membership));
  webex.memberships.list = async (filter) => wholePage(await reads.listMemberships(filter));
}

/** All items as one SDK page: the framework reads `items` and `length`. */
function wholePage<T>(items: T[]): SdkPage<T> {
  return {
    items,
    length: items.length,
    hasNext: () => false,
    next: () => Promise.reject(new Error('no next page: every item is on this one')),
  };
}

/**
 * Calls `onCall` for every HTTP call the SDK still makes itself (its request interceptors
 * announce each one as `request:start`). After {@link replaceSdkReads} there should be none
 * while events are handled: one means the framework started reading something we do not route.
 * @example watchSdkRequests(framework.webex, (call) => logger.warn({ call }, 'unrouted SDK call'));
 */
export function watchSdkRequests(webex: WebexSdk, onCall: (call: string) => void): void {
  webex.on('request:start', (options) => onCall(describeSdkRequest(options)));
}

function describeSdkRequest(options: unknown): string {
  const o = (typeof options === 'object' && options !== null ? options : {}) as Record<
    string,
    unknown
  >;
  const method = typeof o.method === 'string' ? o.method : 'GET';
  const target = [o.service, o.resource, o.uri].filter((part) => typeof part === 'string');
  return `${method} ${target.join(' ') || '?'}`;
}
