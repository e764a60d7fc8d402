import { createHmac, timingSafeEqual } from 'node:crypto';

/** Why a webhook delivery was refused; logged, never sent back in detail. */
export type SignatureProblem = 'missing_signature' | 'malformed_signature' | 'signature_mismatch';

/**
 * Checks Webex's `X-Spark-Signature` (hex HMAC-SHA1 of the raw request bytes) in constant time.
 * It must run on the bytes as received: re-serialised JSON would not match what Webex signed.
 * @example verifyWebexSignature(rawBody, req.get('x-spark-signature'), secret) // => null when valid
 */
export function verifyWebexSignature(
  rawBody: Buffer,
  signatureHeader: string | undefined,
  secret: string,
): SignatureProblem | null {
  if (!signatureHeader) return 'missing_signature';
  const signature = signatureHeader.trim().toLowerCase();
  if (!/^[0-9a-f]{40}$/.test(signature)) return 'malformed_signature';
  const expected = createHmac('sha1', secret).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(signature, 'hex')) ? null : 'signature_mismatch';
}

/** Signs a body the way Webex does; used by the sandbox and by tests. */
export function signWebexBody(rawBody: Buffer | string, secret: string): string {
  return createHmac('sha1', secret).update(rawBody).digest('hex');
}
