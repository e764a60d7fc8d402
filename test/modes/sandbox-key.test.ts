import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEncryptionKey } from '../../src/auth/token-crypto';
import { loadOrCreateSandboxKey } from '../../src/modes/sandbox-key';

describe('loadOrCreateSandboxKey', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'audit-key-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a 0600 key file once and reads it back after', () => {
    const sub = join(dir, 'data');
    const first = loadOrCreateSandboxKey(sub);
    expect(first).toHaveLength(32);
    expect(statSync(join(sub, 'token-key')).mode & 0o777).toBe(0o600);
    expect(loadOrCreateSandboxKey(sub).equals(first)).toBe(true);
    expect(parseEncryptionKey(readFileSync(join(sub, 'token-key'), 'utf8')).equals(first)).toBe(
      true,
    );
  });

  it('names the file when it holds a bad key', () => {
    writeFileSync(join(dir, 'token-key'), 'short');
    expect(() => loadOrCreateSandboxKey(dir)).toThrow(/token-key/);
  });
});
