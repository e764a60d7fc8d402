/**
 * PKCE (RFC 7636) checks for the sandbox's OAuth endpoints. Only `S256` is accepted: `plain`
 * gives no protection and Webex integrations should not use it.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** RFC 7636 §4.1: 43..128 characters of [A-Z a-z 0-9 - . _ ~]. */
const VERIFIER_PATTERN = /^[A-Za-z0-9\-._~]{43,128}$/;
/** An S256 challenge is base64url(sha256) without padding: always 43 characters. */
const CHALLENGE_PATTERN = /^[A-Za-z0-9\-_]{43}$/;

/**
 * The S256 challenge for a verifier: base64url(sha256(verifier)), unpadded.
 * @example pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')
 * // 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'
 */
export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** Whether a string is a well-formed code verifier. */
export function isValidVerifier(verifier: string): boolean {
  return VERIFIER_PATTERN.test(verifier);
}

/** Whether a string is a well-formed S256 code challenge. */
export function isValidS256Challenge(challenge: string): boolean {
  return CHALLENGE_PATTERN.test(challenge);
}

/**
 * Whether `verifier` matches the `challenge` sent to /authorize (constant-time compare).
 * @example verifyPkce(verifier, pkceChallenge(verifier)) // true
 */
export function verifyPkce(verifier: string, challenge: string): boolean {
  if (!isValidVerifier(verifier)) return false;
  const expected = Buffer.from(pkceChallenge(verifier));
  const given = Buffer.from(challenge);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
