/**
 * Encryption of stored OAuth tokens: AES-256-GCM, random 12-byte IV, authenticated.
 * Blob format (versioned so the scheme can change later): `v1.<iv>.<tag>.<ciphertext>`,
 * each part base64url.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** AES-256: the key is this many bytes. */
export const TOKEN_KEY_BYTES = KEY_BYTES;

/** A blob that is malformed, was tampered with, or was made with another key. */
export class TokenDecryptError extends Error {
  readonly code = 'token_decrypt_failed';
  constructor(reason: string) {
    // Never include the blob or the plaintext: only why it failed.
    super(`Cannot decrypt stored token: ${reason}`);
    this.name = 'TokenDecryptError';
  }
}

/**
 * Encrypts a token for storage.
 *
 * @example
 * const blob = encryptToken(accessToken, key); // 'v1.…'
 */
export function encryptToken(plain: string, key: Buffer): string {
  assertKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, b64url(iv), b64url(tag), b64url(ciphertext)].join('.');
}

/**
 * Decrypts a blob made by {@link encryptToken}. Throws TokenDecryptError on a wrong key,
 * a modified blob or an unknown format.
 *
 * @example
 * const accessToken = decryptToken(account.accessTokenEnc, key);
 */
export function decryptToken(blob: string, key: Buffer): string {
  assertKey(key);
  const parts = blob.split('.');
  if (parts.length !== 4) throw new TokenDecryptError('not a token blob');
  const [version, ivPart, tagPart, dataPart] = parts as [string, string, string, string];
  if (version !== VERSION)
    throw new TokenDecryptError(`unknown format version "${version.slice(0, 8)}"`);
  const iv = Buffer.from(ivPart, 'base64url');
  const tag = Buffer.from(tagPart, 'base64url');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    throw new TokenDecryptError('bad IV or tag length');
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAuthTag(tag);
    const plain = Buffer.concat([
      decipher.update(Buffer.from(dataPart, 'base64url')),
      decipher.final(),
    ]);
    return plain.toString('utf8');
  } catch {
    throw new TokenDecryptError('wrong TOKEN_ENCRYPTION_KEY or the stored value was modified');
  }
}

const HOW_TO_MAKE_KEY = 'create one with: openssl rand -base64 32';

/**
 * Parses TOKEN_ENCRYPTION_KEY (base64 of 32 bytes).
 *
 * @example
 * const key = parseEncryptionKey(process.env.TOKEN_ENCRYPTION_KEY ?? '');
 */
export function parseEncryptionKey(base64: string): Buffer {
  const text = base64.trim();
  if (!text) throw new Error(`TOKEN_ENCRYPTION_KEY is empty; ${HOW_TO_MAKE_KEY}`);
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) {
    throw new Error(`TOKEN_ENCRYPTION_KEY is not valid base64; ${HOW_TO_MAKE_KEY}`);
  }
  const key = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== KEY_BYTES) {
    throw new Error(
      `TOKEN_ENCRYPTION_KEY must be ${KEY_BYTES} bytes of base64 (got ${key.length} bytes); ${HOW_TO_MAKE_KEY}`,
    );
  }
  return key;
}

function assertKey(key: Buffer): void {
  if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
    throw new Error(`Token encryption key must be ${KEY_BYTES} bytes (see TOKEN_ENCRYPTION_KEY)`);
  }
}

function b64url(b: Buffer): string {
  return b.toString('base64url');
}
