import { signWebexBody, verifyWebexSignature } from '../../src/server/verify-signature';

const secret = 'webhook-secret';
const body = Buffer.from('{"id":"abc","data":{"id":"m1"}}');

describe('verifyWebexSignature', () => {
  it('accepts the hex HMAC-SHA1 of the raw bytes, in any letter case', () => {
    const signature = signWebexBody(body, secret);
    expect(verifyWebexSignature(body, signature, secret)).toBeNull();
    expect(verifyWebexSignature(body, signature.toUpperCase(), secret)).toBeNull();
  });

  it('accepts a pretty-printed, \\u-escaped body signed as sent', () => {
    const pretty = Buffer.from('{\n  "id": "\\u0061bc",\n  "data": { "id": "m1" }\n}');
    expect(verifyWebexSignature(pretty, signWebexBody(pretty, secret), secret)).toBeNull();
  });

  it('names the problem when the signature is missing, malformed or wrong', () => {
    expect(verifyWebexSignature(body, undefined, secret)).toBe('missing_signature');
    expect(verifyWebexSignature(body, 'not-hex', secret)).toBe('malformed_signature');
    expect(verifyWebexSignature(body, signWebexBody(body, 'other-secret'), secret)).toBe(
      'signature_mismatch',
    );
    const tampered = Buffer.from(body.toString().replace('m1', 'm2'));
    expect(verifyWebexSignature(tampered, signWebexBody(body, secret), secret)).toBe(
      'signature_mismatch',
    );
  });
});
