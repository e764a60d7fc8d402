/**
 * The sandbox's own token-encryption key. Only sandbox mode uses it: a Webex deployment takes
 * its key from TOKEN_ENCRYPTION_KEY.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEncryptionKey, TOKEN_KEY_BYTES } from '../auth/token-crypto';

/**
 * Sandbox mode only: reads `<dir>/token-key`, creating it (mode 0600) with a fresh random key
 * the first time, so a sandbox keeps its linked accounts across restarts.
 *
 * @example
 * const key = loadOrCreateSandboxKey('data');
 */
export function loadOrCreateSandboxKey(dir: string): Buffer {
  const file = join(dir, 'token-key');
  if (existsSync(file)) {
    try {
      return parseEncryptionKey(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new Error(`${file}: ${(err as Error).message} (or delete the file to make a new one)`);
    }
  }
  mkdirSync(dir, { recursive: true });
  const key = randomBytes(TOKEN_KEY_BYTES);
  try {
    // 'wx': fail rather than overwrite if another process created it meanwhile.
    writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateSandboxKey(dir);
    throw err;
  }
  chmodSync(file, 0o600); // the umask may have widened the mode on creation
  return key;
}
