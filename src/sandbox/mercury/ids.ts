/**
 * Between the two kinds of ID the `webex` SDK sees: the public (Hydra) IDs the REST API uses,
 * base64url of `ciscospark://us/<TYPE>/<uuid>`, and the bare UUIDs conversation activities on
 * the Mercury socket carry, from which the SDK builds Hydra IDs again
 * (@webex/common/src/uuid-utils.js: constructHydraId, buildHydraMembershipId).
 */
import { webexId } from '../state';

/** What a Hydra ID says: `ciscospark://<cluster>/<type>/<uuid>`. */
export interface HydraIdParts {
  cluster: string;
  type: string;
  uuid: string;
}

/**
 * Reads a Hydra ID, or undefined when it is not one.
 * @example parseHydraId(webexId('ROOM', 'abc')) // { cluster: 'us', type: 'ROOM', uuid: 'abc' }
 */
export function parseHydraId(id: string): HydraIdParts | undefined {
  const match = /^ciscospark:\/\/([^/]+)\/([A-Z_]+)\/(.+)$/.exec(
    Buffer.from(id, 'base64url').toString('utf8'),
  );
  return match ? { cluster: match[1], type: match[2], uuid: match[3] } : undefined;
}

/**
 * The UUID inside a Hydra ID (what activities carry); the input itself when it is not one.
 * @example uuidOf(webexId('PEOPLE', '6f1c…')) // '6f1c…'
 */
export function uuidOf(id: string): string {
  return parseHydraId(id)?.uuid ?? id;
}

/**
 * A membership's ID, in Webex's own form, which the SDK also builds from a membership
 * activity: `ciscospark://us/MEMBERSHIP/<personUuid>:<roomUuid>`.
 * @example webexMembershipId(person.id, room.id)
 */
export function webexMembershipId(personId: string, roomId: string): string {
  return webexId('MEMBERSHIP', `${uuidOf(personId)}:${uuidOf(roomId)}`);
}

/**
 * The person and room a membership ID of Webex's form names, as sandbox IDs; undefined for
 * other IDs.
 * @example membershipIdParts(webexMembershipId(a, r)) // { personId: a, roomId: r }
 */
export function membershipIdParts(id: string): { personId: string; roomId: string } | undefined {
  const parts = parseHydraId(id);
  if (parts?.type !== 'MEMBERSHIP') return undefined;
  const [personUuid, roomUuid, ...rest] = parts.uuid.split(':');
  if (!personUuid || !roomUuid || rest.length > 0) return undefined;
  return { personId: webexId('PEOPLE', personUuid), roomId: webexId('ROOM', roomUuid) };
}
