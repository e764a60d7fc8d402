/**
 * Adds views and downloads to a sandbox recording while it runs, through the sandbox's control
 * API (`POST /_sandbox/recordings/:recordingId/access`), as a demo or a test would.
 */
import type { AccessInput } from '../../src/sandbox/access-input';

/** @example await addAccesses(sandbox.baseUrl, recordingId, [{ email, name, action: 'download' }]); */
export async function addAccesses(
  sandboxBaseUrl: string,
  recordingId: string,
  accesses: readonly AccessInput[],
): Promise<void> {
  const response = await fetch(`${sandboxBaseUrl}/_sandbox/recordings/${recordingId}/access`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(accesses),
  });
  if (response.status !== 201) {
    throw new Error(`adding accesses answered ${response.status}: ${await response.text()}`);
  }
}
