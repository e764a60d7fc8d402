import { RecordsCache } from '../../src/bot/records-cache';
import type { AccessRecord } from '../../src/report/types';

const records = [{ email: 'viewer@example.com' }] as unknown as AccessRecord[];
const key = { recordingId: 'rec-1', zone: 'Europe/Paris' };

describe('RecordsCache.forPerson', () => {
  it('serves a person only their own reports, whatever the key says', () => {
    const cache = new RecordsCache();
    cache.forPerson('ann').set(key, records);
    expect(cache.forPerson('ann').get(key)).toBe(records);
    expect(cache.forPerson('bob').get(key)).toBeUndefined();
    // A key that names someone else (e.g. from a card's data) still reads the caller's own.
    const claimsAnn = { ...key, requesterId: 'ann' } as typeof key;
    expect(cache.forPerson('bob').get(claimsAnn)).toBeUndefined();
  });

  it("drops a person's reports when they disconnect", () => {
    const cache = new RecordsCache();
    cache.forPerson('ann').set(key, records);
    cache.forPerson('bob').set(key, records);
    cache.forget('ann');
    expect(cache.forPerson('ann').get(key)).toBeUndefined();
    expect(cache.forPerson('bob').get(key)).toBe(records);
  });
});
