// The shopper page's side of a proof of work, for tests and the bench: fetch a
// challenge, solve it with altcha-lib's own solver, and build ALTCHA's payload.
import { solveChallenge } from 'altcha-lib/v1';
import type { IssuedChallenge } from '../../core/useCases/challenge';

type AltchaChallenge = NonNullable<IssuedChallenge['altcha']>;

/** ALTCHA's base64 JSON payload for `challenge`, solved here; `number` overrides the solution (a wrong one). */
export async function solvePayload(challenge: AltchaChallenge, number?: number): Promise<string> {
  const solution = await solveChallenge(
    challenge.challenge,
    challenge.salt,
    challenge.algorithm,
    challenge.maxnumber,
  ).promise;
  if (!solution) throw new Error('challenge not solved');
  const payload = {
    algorithm: challenge.algorithm,
    challenge: challenge.challenge,
    number: number ?? solution.number,
    salt: challenge.salt,
    signature: challenge.signature,
  };
  return Buffer.from(JSON.stringify(payload)).toString('base64');
}

/** GET /api/coupon/queue/challenge on `base`, solved. */
export async function solvedFor(base: string, promotionId: number): Promise<string> {
  const res = await fetch(`${base}/api/coupon/queue/challenge?promotionId=${promotionId}`);
  const body = (await res.json()) as { data: IssuedChallenge };
  if (!body.data.altcha) throw new Error(`promotion ${promotionId} asks for no challenge`);
  return solvePayload(body.data.altcha);
}
