import { createHash, randomBytes } from 'node:crypto';

export interface PkcePair {
  /** Kept server-side (in the OAuth state row), sent with the code exchange. */
  verifier: string;
  /** BASE64URL(SHA256(verifier)), sent to /authorize with code_challenge_method=S256. */
  challenge: string;
}

/**
 * A PKCE (RFC 7636) S256 pair. The verifier is 43 base64url characters (32 random bytes).
 *
 * @example
 * const { verifier, challenge } = createPkcePair();
 */
export function createPkcePair(): PkcePair {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier, 'ascii').digest('base64url');
  return { verifier, challenge };
}

/**
 * A fresh OAuth `state`: 256 random bits, base64url (URL-safe, no padding).
 *
 * @example
 * const state = newOAuthState();
 */
export function newOAuthState(): string {
  return randomBytes(32).toString('base64url');
}
