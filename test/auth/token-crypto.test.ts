import { createHash, randomBytes } from 'node:crypto';
import { createPkcePair, newOAuthState } from '../../src/auth/pkce';
import {
  TokenDecryptError,
  decryptToken,
  encryptToken,
  parseEncryptionKey,
} from '../../src/auth/token-crypto';

const key = randomBytes(32);
const secret = 'ZmFrZS1hY2Nlc3MtdG9rZW4_with-ünïcode';

describe('token crypto', () => {
  it('round-trips and uses a fresh IV each time', () => {
    const a = encryptToken(secret, key);
    const b = encryptToken(secret, key);
    expect(a).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain(secret);
    expect(decryptToken(a, key)).toBe(secret);
    expect(decryptToken(b, key)).toBe(secret);
  });

  it('detects a flipped byte in the ciphertext, without plaintext in the error', () => {
    const blob = encryptToken(secret, key);
    const [v, iv, tag, data] = blob.split('.') as [string, string, string, string];
    const bytes = Buffer.from(data, 'base64url');
    bytes[0] = bytes[0]! ^ 0x01;
    const tampered = [v, iv, tag, bytes.toString('base64url')].join('.');
    let err: unknown;
    try {
      decryptToken(tampered, key);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TokenDecryptError);
    expect(String(err)).not.toContain(secret);
    expect(String(err)).not.toContain(tampered);
    expect((err as TokenDecryptError).code).toBe('token_decrypt_failed');
  });

  it('detects a modified tag or IV', () => {
    const [v, iv, tag, data] = encryptToken(secret, key).split('.') as [
      string,
      string,
      string,
      string,
    ];
    const flip = (s: string) => {
      const b = Buffer.from(s, 'base64url');
      b[b.length - 1] = b[b.length - 1]! ^ 0x80;
      return b.toString('base64url');
    };
    expect(() => decryptToken([v, iv, flip(tag), data].join('.'), key)).toThrow(TokenDecryptError);
    expect(() => decryptToken([v, flip(iv), tag, data].join('.'), key)).toThrow(TokenDecryptError);
  });

  it('fails with the wrong key', () => {
    const blob = encryptToken(secret, key);
    expect(() => decryptToken(blob, randomBytes(32))).toThrow(/wrong TOKEN_ENCRYPTION_KEY/);
  });

  it('rejects malformed blobs and unknown versions', () => {
    expect(() => decryptToken('garbage', key)).toThrow(TokenDecryptError);
    expect(() => decryptToken(encryptToken('x', key).replace(/^v1/, 'v9'), key)).toThrow(
      /unknown format version/,
    );
  });

  it('refuses a key of the wrong size', () => {
    expect(() => encryptToken('x', randomBytes(16))).toThrow(/32 bytes/);
  });
});

describe('parseEncryptionKey', () => {
  it('accepts base64 of 32 bytes (standard or url alphabet)', () => {
    const raw = randomBytes(32);
    expect(parseEncryptionKey(raw.toString('base64')).equals(raw)).toBe(true);
    expect(parseEncryptionKey(` ${raw.toString('base64url')}\n`).equals(raw)).toBe(true);
  });

  it.each([
    ['', /TOKEN_ENCRYPTION_KEY is empty/],
    ['not base64!!', /not valid base64/],
    [randomBytes(16).toString('base64'), /32 bytes.*got 16/],
  ])('rejects %p with a clear message', (input, message) => {
    expect(() => parseEncryptionKey(input)).toThrow(message);
    expect(() => parseEncryptionKey(input)).toThrow(/openssl rand -base64 32/);
  });
});

describe('pkce', () => {
  it('makes an S256 pair', () => {
    const { verifier, challenge } = createPkcePair();
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    expect(challenge).toBe(createHash('sha256').update(verifier).digest('base64url'));
    expect(createPkcePair().verifier).not.toBe(verifier);
  });

  it('makes url-safe states of at least 128 bits', () => {
    const state = newOAuthState();
    expect(state).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(state, 'base64url').length).toBeGreaterThanOrEqual(16);
    expect(newOAuthState()).not.toBe(state);
  });
});
