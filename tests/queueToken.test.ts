// Queue tokens: only this secret makes them, they name one shopper's ticket, and they expire.
import { createHmac } from 'node:crypto';
import { keyIdOf, QueueTokens } from '../core/live/queueToken';

const secret = 'test-queue-token-secret-0123456789abcdef';
const hour = 3_600_000;
let clock = 1_700_000_000_000;
const tokens = new QueueTokens(secret, hour, () => clock);
const claims = { promotionId: 7, userId: 'alice', ticket: 42 };

/** Replaces the token's payload with another, keeping the original signature. */
function withPayload(token: string, body: unknown): string {
  const [version, , sig] = token.split('.');
  return `${version}.${Buffer.from(JSON.stringify(body)).toString('base64url')}.${sig}`;
}

test('a token made here verifies to exactly the claims it was made for', () => {
  expect(tokens.verify(tokens.sign(claims))).toEqual({ ok: true, claims });
});

test('the payload is readable but the secret is nowhere in it', () => {
  const token = tokens.sign(claims);
  expect(token).not.toContain(secret);
  expect(token).toMatch(/^qt1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
});

test("a token edited to name another shopper (or promotion, or ticket) is refused: one shopper cannot take another's events", () => {
  const token = tokens.sign(claims);
  const e = clock + hour;
  for (const body of [
    { p: 7, u: 'bob', t: 42, e },
    { p: 8, u: 'alice', t: 42, e },
    { p: 7, u: 'alice', t: 1, e },
    { p: 7, u: 'alice', t: 42, e: e + hour },
  ]) {
    expect(tokens.verify(withPayload(token, body))).toMatchObject({
      ok: false,
      code: 'TOKEN_INVALID',
    });
  }
});

test('a token from another secret is refused', () => {
  const other = new QueueTokens('another-secret-of-enough-length-000000', hour, () => clock);
  expect(tokens.verify(other.sign(claims))).toMatchObject({ ok: false, code: 'TOKEN_INVALID' });
});

test.each([
  ['empty', ''],
  ['garbage', 'not-a-token'],
  ['wrong version', tokens.sign(claims).replace(/^qt1/, 'qt2')],
  ['truncated signature', tokens.sign(claims).slice(0, -1)],
  ['extra part', `${tokens.sign(claims)}.x`],
])('a malformed token (%s) is refused, not thrown on', (_name, token) => {
  expect(tokens.verify(token)).toMatchObject({ ok: false, code: 'TOKEN_INVALID' });
});

test('a correctly signed payload of the wrong shape is refused', () => {
  // Signed with the real key, as a future bug might: shape is still checked.
  const payload = Buffer.from(JSON.stringify({ p: -1, u: '', t: 0 })).toString('base64url');
  const sig = createHmac('sha256', secret).update(`qt1.${payload}`).digest('base64url');
  const token = `qt1.${payload}.${sig}`;
  expect(tokens.verify(token)).toMatchObject({ ok: false, code: 'TOKEN_INVALID' });
});

test('a token expires after its time to live, and says so', () => {
  const start = clock;
  const token = tokens.sign(claims);
  clock = start + hour - 1;
  expect(tokens.verify(token).ok).toBe(true);
  clock = start + hour;
  expect(tokens.verify(token)).toMatchObject({ ok: false, code: 'TOKEN_EXPIRED' });
  clock = start;
});

describe('rotation: the key id names the secret, the previous secret verifies while a new one rolls out', () => {
  const previous = 'the-secret-being-rotated-out-000000000000';
  const current = 'the-secret-being-rolled-out-111111111111';
  const before = new QueueTokens(previous, hour, () => clock);
  const during = new QueueTokens([current, previous], hour, () => clock);

  test('a token signed with the previous secret is accepted during the rotation', () => {
    expect(during.verify(before.sign(claims))).toEqual({ ok: true, claims });
  });

  test('new tokens are signed with the new secret and name its key id, not the secret', () => {
    const token = during.sign(claims);
    const body = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as {
      k: string;
    };
    expect(body.k).toBe(keyIdOf(current));
    expect(token).not.toContain(current);
    expect(new QueueTokens(current, hour, () => clock).verify(token)).toEqual({ ok: true, claims });
    expect(before.verify(token)).toMatchObject({ ok: false, code: 'TOKEN_INVALID' });
  });

  test('a token signed with a secret the room never held is refused, whatever key id it claims', () => {
    const unknown = new QueueTokens('some-secret-nobody-configured-22222222', hour, () => clock);
    expect(during.verify(unknown.sign(claims))).toMatchObject({ ok: false, code: 'TOKEN_INVALID' });
    // Claiming the previous key's id does not help without the previous secret.
    const payload = Buffer.from(
      JSON.stringify({ k: keyIdOf(previous), p: 7, u: 'alice', t: 42, e: clock + hour }),
    ).toString('base64url');
    const sig = createHmac('sha256', 'some-secret-nobody-configured-22222222')
      .update(`qt1.${payload}`)
      .digest('base64url');
    expect(during.verify(`qt1.${payload}.${sig}`)).toMatchObject({
      ok: false,
      code: 'TOKEN_INVALID',
    });
  });

  test('once the previous secret is dropped, its tokens are refused', () => {
    const after = new QueueTokens(current, hour, () => clock);
    expect(after.verify(before.sign(claims))).toMatchObject({ ok: false, code: 'TOKEN_INVALID' });
  });
});
