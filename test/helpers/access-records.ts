import type { AccessRecord } from '../../src/report/types';

/**
 * One accessDetail item, by default the first of the example in Webex's API reference.
 * @example accessRecord({ name: 'Joe Doe', downloaded: true })
 */
export function accessRecord(over: Partial<AccessRecord> = {}): AccessRecord {
  return {
    recordingId: '4f914b1dfe3c4d11a61730f18c0f5387',
    topic: 'Example Topic',
    name: 'John Andersen',
    email: 'john.andersen@example.com',
    accessTime: '2020-07-13T17:05:35Z',
    viewed: true,
    downloaded: false,
    ...over,
  };
}

/** The organisation of card tests: the requester's own domain, example.com. */
export const ORGANISATION = { domains: [], requesterEmail: 'host@example.com' } as const;
