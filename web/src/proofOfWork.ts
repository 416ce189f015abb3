// A promotion that asks for a proof of work (challenge 'pow') gets one solved
// here before each join: fetch a signed challenge, find its secret number with
// altcha-lib's solver in slices (so the page can show how far it is), and hand
// back ALTCHA's base64 JSON payload for the join's `altcha` field.
import { solveChallenge } from 'altcha-lib/v1';
import { callApi } from './api';

interface AltchaChallenge {
  algorithm: string;
  challenge: string;
  maxnumber?: number;
  salt: string;
  signature: string;
}

interface Issued {
  challenge: 'none' | 'pow';
  altcha: AltchaChallenge | null;
}

/** Numbers tried between two progress reports (a few tens of ms on a phone). */
const slice = 2000;

export type Proof =
  | { kind: 'proof'; altcha?: string }
  | { kind: 'refused'; code: string; message: string }
  | { kind: 'unreachable'; message: string };

async function solve(c: AltchaChallenge, onProgress: (share: number) => void): Promise<number> {
  const max = c.maxnumber ?? 1_000_000;
  for (let start = 0; start <= max; start += slice) {
    onProgress(start / max);
    const end = Math.min(max, start + slice - 1);
    const found = await solveChallenge(c.challenge, c.salt, c.algorithm, end, start).promise;
    if (found) return found.number;
  }
  throw new Error('The challenge had no solution');
}

/** The proof for one join of `promotionId` (none when the promotion asks for none); progress ends at 1. */
export async function proveWork(
  promotionId: number,
  onProgress: (share: number) => void,
): Promise<Proof> {
  const issued = await callApi<Issued>(
    'GET',
    `/api/coupon/queue/challenge?promotionId=${promotionId}`,
  );
  if (issued.kind !== 'ok') return issued;
  const c = issued.data.altcha;
  if (!c) return { kind: 'proof' };
  const number = await solve(c, onProgress);
  onProgress(1);
  const payload = { ...c, number };
  delete payload.maxnumber;
  return { kind: 'proof', altcha: btoa(JSON.stringify(payload)) };
}
