/**
 * A sandbox person who has never talked to the bot (the seed gives everyone else a 1:1 space
 * with it), with a token to act as them.
 */
import { newToken } from '../../src/sandbox/seed';
import { webexId, type SandboxState } from '../../src/sandbox/state';

export interface Newcomer {
  id: string;
  email: string;
  displayName: string;
  token: string;
}

let serial = 0;

/**
 * @example const person = addNewcomer(sandbox.state); // then POST /messages with person.token
 */
export function addNewcomer(state: SandboxState): Newcomer {
  const n = ++serial;
  const id = webexId('PEOPLE');
  const email = `newcomer${n}-${process.pid}@example.com`;
  const displayName = `Newcomer ${n}`;
  state.people.set(id, {
    id,
    emails: [email],
    displayName,
    orgId: state.orgId,
    type: 'person',
    created: new Date().toISOString(),
    admin: false,
  });
  const token = newToken();
  state.tokens.set(token, { token, personId: id, scopes: ['spark:all'], kind: 'personal' });
  return { id, email, displayName, token };
}
