// HS256 verified with node:crypto (server/http/hs256.ts) must accept and refuse
// exactly what jose's jwtVerify does with the same secret and options: a
// differential test over valid, tampered, mis-signed and mis-claimed tokens
// (it is stricter in one place: a padded signature).
import { createHmac } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { hs256Verifier } from '../server/http/hs256';

const secret = 'the-shop-secret-0123456789abcdefghij';
const key = new TextEncoder().encode(secret);
const options = {
  algorithms: ['HS256'],
  issuer: 'https://shop.test',
  audience: 'waiting-room',
  clockTolerance: 30,
  requiredClaims: ['exp', 'sub'],
};
const now = () => Math.floor(Date.now() / 1000);
const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A compact JWT with any header and payload, HMAC-signed with `with` (sha256 unless told). */
function raw(header: unknown, payload: unknown, withSecret = secret, hash = 'sha256'): string {
  const input = `${part(header)}.${part(payload)}`;
  return `${input}.${createHmac(hash, withSecret).update(input).digest('base64url')}`;
}

const claims = (extra: Record<string, unknown> = {}) => ({
  sub: 'shopper-1',
  iss: 'https://shop.test',
  aud: 'waiting-room',
  exp: now() + 600,
  ...extra,
});

async function cases(): Promise<[string, string][]> {
  const good = await new SignJWT(claims())
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(key);
  const [h, p, s] = good.split('.');
  return [
    ['valid, signed by jose', good],
    ['valid, signed by hand', raw({ alg: 'HS256' }, claims())],
    ['payload swapped after signing', `${h ?? ''}.${part(claims({ sub: 'victim' }))}.${s ?? ''}`],
    [
      'signature of another secret',
      raw({ alg: 'HS256' }, claims(), 'another-secret-0123456789abcdefgh'),
    ],
    ['signature cut short', `${h ?? ''}.${p ?? ''}.${(s ?? '').slice(0, 40)}`],
    ['signature padded', `${h ?? ''}.${p ?? ''}.${s ?? ''}=`],
    ['no signature', `${h ?? ''}.${p ?? ''}.`],
    ['alg none', `${part({ alg: 'none' })}.${part(claims())}.`],
    ['alg HS512', raw({ alg: 'HS512' }, claims(), secret, 'sha512')],
    ['alg HS256 header lowercased', raw({ alg: 'hs256' }, claims())],
    ['unknown crit header', raw({ alg: 'HS256', crit: ['x-bank'], 'x-bank': 1 }, claims())],
    ['b64 false', raw({ alg: 'HS256', b64: false, crit: ['b64'] }, claims())],
    ['header not an object', `${part(['HS256'])}.${part(claims())}.AAAA`],
    ['expired past the skew', raw({ alg: 'HS256' }, claims({ exp: now() - 120 }))],
    ['expired within the skew', raw({ alg: 'HS256' }, claims({ exp: now() - 10 }))],
    ['not before, in the future', raw({ alg: 'HS256' }, claims({ nbf: now() + 600 }))],
    ['issued in the future', raw({ alg: 'HS256' }, claims({ iat: now() + 600 }))],
    ['wrong audience', raw({ alg: 'HS256' }, claims({ aud: 'another-app' }))],
    ['audience list with ours', raw({ alg: 'HS256' }, claims({ aud: ['x', 'waiting-room'] }))],
    ['wrong issuer', raw({ alg: 'HS256' }, claims({ iss: 'https://evil.test' }))],
    ['no exp', raw({ alg: 'HS256' }, { sub: 's', iss: options.issuer, aud: options.audience })],
    ['no sub', raw({ alg: 'HS256' }, claims({ sub: undefined }))],
    ['exp not a number', raw({ alg: 'HS256' }, claims({ exp: 'tomorrow' }))],
    [
      'payload not JSON',
      `${part({ alg: 'HS256' })}.bm90IGpzb24.${createHmac('sha256', secret)
        .update(`${part({ alg: 'HS256' })}.bm90IGpzb24`)
        .digest('base64url')}`,
    ],
    ['two parts', `${h ?? ''}.${p ?? ''}`],
    ['four parts', `${good}.x`],
  ];
}

type Outcome = { ok: true; sub: unknown } | { ok: false; expired: boolean };

async function outcome(verify: () => Promise<{ sub?: unknown }>): Promise<Outcome> {
  try {
    return { ok: true, sub: (await verify()).sub };
  } catch (err) {
    expect(err).toBeInstanceOf(errors.JOSEError);
    return { ok: false, expired: err instanceof errors.JWTExpired };
  }
}

test('accepts and refuses exactly what jose does, with the same claims and the same expiry errors', async () => {
  const verify = hs256Verifier(secret, options);
  const all = await cases();
  const results = await Promise.all(
    all.map(async ([name, token]) => ({
      name,
      ours: await outcome(() => Promise.resolve().then(() => verify(token))),
      jose: await outcome(async () => (await jwtVerify(token, key, options)).payload),
    })),
  );
  // One deliberate difference: base64url padding, which RFC 7515 forbids and jose tolerates.
  const stricter = new Set(['signature padded']);
  for (const { name, ours, jose } of results) {
    if (stricter.has(name)) expect([name, ours.ok, jose.ok]).toEqual([name, false, true]);
    else expect([name, ours]).toEqual([name, jose]);
  }
  const accepted = results.filter((r) => r.ours.ok).map((r) => r.name);
  expect(accepted).toEqual([
    'valid, signed by jose',
    'valid, signed by hand',
    'expired within the skew',
    'issued in the future', // jose checks iat only with maxTokenAge, which signed mode does not set
    'audience list with ours',
  ]);
});
