/**
 * Recently fetched access records, so paging through a big report does not fetch every page
 * from Webex again on each click. Entries belong to one requester: the key starts with their
 * ID, so one person's data is never served to another.
 */
import { LRUCache } from 'lru-cache';
import type { AccessRecord } from '../report/types';

export interface RecordsKey {
  requesterId: string;
  recordingId: string;
  hostEmail?: string;
  zone: string;
}

/** A key within one person's entries: the requester is filled in by the cache. */
export type PersonRecordsKey = Omit<RecordsKey, 'requesterId'>;

/** The cache as one person's command sees it: only their own entries. */
export interface PersonRecordsCache {
  get(key: PersonRecordsKey): AccessRecord[] | undefined;
  set(key: PersonRecordsKey, records: AccessRecord[]): void;
}

export interface RecordsCacheOptions {
  /** Upper bound on records held across all entries (memory stays bounded). */
  maxRecords?: number;
  ttlMs?: number;
}

export class RecordsCache {
  private readonly cache: LRUCache<string, AccessRecord[]>;

  constructor(options: RecordsCacheOptions = {}) {
    this.cache = new LRUCache({
      maxSize: options.maxRecords ?? 200_000,
      // An empty report still takes a slot.
      sizeCalculation: (records) => Math.max(1, records.length),
      ttl: options.ttlMs ?? 5 * 60_000,
    });
  }

  get(key: RecordsKey): AccessRecord[] | undefined {
    return this.cache.get(keyOf(key));
  }

  set(key: RecordsKey, records: AccessRecord[]): void {
    this.cache.set(keyOf(key), records);
  }

  /**
   * The entries of `requesterId` only, whatever a key passed in says.
   * @example ctx.recordsCache = cache.forPerson(personId); ctx.recordsCache.get({ recordingId, zone });
   */
  forPerson(requesterId: string): PersonRecordsCache {
    return {
      get: (key) => this.get({ ...key, requesterId }),
      set: (key, records) => this.set({ ...key, requesterId }, records),
    };
  }

  /** Drops everything fetched for a person (they disconnected). */
  forget(requesterId: string): void {
    for (const key of [...this.cache.keys()]) {
      if ((JSON.parse(key) as string[])[0] === requesterId) this.cache.delete(key);
    }
  }
}

function keyOf(key: RecordsKey): string {
  return JSON.stringify([key.requesterId, key.recordingId, key.hostEmail ?? '', key.zone]);
}
