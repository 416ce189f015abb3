// Join throughput for a promotion with challenge 'pow': each join carries an
// ALTCHA solution the server verifies (one SHA-256, one HMAC) and uses up (SET
// NX in Redis), side by side with bare Express; the difference from the plain
// `join` row is what checking a proof costs the server. The solutions are
// minted beforehand with the server's key (number chosen, so nothing to solve):
// a shopper's solving time is theirs, not the server's.
import { createChallenge } from 'altcha-lib/v1';
import { challengeHmacKey } from '../../core/useCases/challenge';
import { httpCase } from '../lib/compare';
import { bareJoin } from './joinVsBare';
import type { BenchCase } from './types';

const secret = 'bench-queue-token-secret-0123456789abcdef';
/** One solution per join (each is single-use): enough for every round at this machine's pace. */
const pool = 120_000;

async function solutions(promotionId: number): Promise<string[]> {
  const hmacKey = challengeHmacKey(secret);
  const expires = new Date(Date.now() + 3_600_000);
  const params = { promotionId: String(promotionId) };
  const out: string[] = [];
  while (out.length < pool) {
    const batch = await Promise.all(
      Array.from({ length: 1000 }, async () => {
        const c = await createChallenge({ hmacKey, maxnumber: 1000, number: 7, expires, params });
        const payload = { algorithm: c.algorithm, challenge: c.challenge, number: 7, salt: c.salt };
        return Buffer.from(JSON.stringify({ ...payload, signature: c.signature })).toString(
          'base64',
        );
      }),
    );
    out.push(...batch);
  }
  return out;
}

export const joinPow: BenchCase = httpCase('join-pow', async (system) => {
  const created = (await system.admin('/api/promotions', {
    name: 'bench pow',
    totalStock: 1_000_000_000,
    challenge: 'pow',
    challengeCost: 1000,
  })) as { id: number };
  const altchas = await solutions(created.id);
  const server = await system.extraServer({
    QUEUE_TOKEN_SECRET: secret,
    CHALLENGE_TTL_SECONDS: '3600',
  });
  let n = 0;
  return {
    name: 'POST /join with a proof-of-work solution (pre-solved)',
    goalRatio: 0.85,
    subject: {
      label: 'join-pow',
      method: 'POST',
      origin: server.origin,
      pid: server.pid,
      next: () => {
        const i = n++;
        return {
          path: '/api/coupon/queue/join',
          body: { promotionId: created.id, userId: `pow${i}`, altcha: altchas[i % pool] },
        };
      },
      expectStatus: (status) => status === 200,
    },
    baseline: bareJoin(system, 'join-pow'),
  };
});
