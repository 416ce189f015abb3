// HS256 shopper JWTs verified with node:crypto. jose 6 verifies through
// WebCrypto, whose HMAC job cost ~30 µs of CPU per token alone and ~70 µs on a
// busy server (13% of a signed-mode join, bench:profile -- join-hs256);
// createHmac takes ~3 µs. Only the signature is checked here: the header's
// crit/b64 rules and every claim (exp with the clock skew, nbf, iss, aud, the
// required ones) are jose's own checks, run by UnsecuredJWT.decode on the same
// header and payload once the signature has been verified.
import { createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';
import { errors, UnsecuredJWT, type JWTClaimVerificationOptions, type JWTPayload } from 'jose';

/** 32 bytes of HMAC-SHA256, base64url without padding. */
const signaturePattern = /^[A-Za-z0-9_-]{43}$/;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Verifies an HS256 compact JWT with `secret` and answers its claims, or throws a jose error. */
export function hs256Verifier(
  secret: string,
  options: JWTClaimVerificationOptions,
): (token: string) => JWTPayload {
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  return (token) => {
    const parts = token.split('.');
    const [header, payload, signature] = parts;
    if (parts.length !== 3 || !header || !payload || signature === undefined) {
      throw new errors.JWSInvalid('Invalid Compact JWS');
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
    } catch {
      throw new errors.JWSInvalid('JWS Protected Header is invalid');
    }
    // Only HS256: no "none", no other algorithm (algorithm confusion).
    if (!isObject(parsed) || parsed.alg !== 'HS256') {
      throw new errors.JOSEAlgNotAllowed('"alg" (Algorithm) Header Parameter value not allowed');
    }
    if (!signaturePattern.test(signature)) throw new errors.JWSSignatureVerificationFailed();
    const expected = createHmac('sha256', key).update(`${header}.${payload}`).digest();
    if (!timingSafeEqual(Buffer.from(signature, 'base64url'), expected)) {
      throw new errors.JWSSignatureVerificationFailed();
    }
    // The signed header with alg "none" stands in for it, so jose runs its header and claim checks.
    const checked = Buffer.from(JSON.stringify({ ...parsed, alg: 'none' })).toString('base64url');
    return UnsecuredJWT.decode(`${checked}.${payload}.`, options).payload;
  };
}
