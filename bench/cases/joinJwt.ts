// Join throughput in signed mode (SHOPPER_AUTH=signed): each join carries a
// shopper JWT the server verifies with jose, side by side with bare Express, so
// the difference from the plain `join` row is what verifying costs. Tokens are
// signed beforehand with node:crypto (any JWT library would do), so the load
// generator's CPU goes to sending, not signing.
import { createHmac, generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { httpCase } from '../lib/compare';
import { bareJoin } from './joinVsBare';
import type { BenchCase } from './types';

const promotionId = 1;
/** Distinct shoppers per case; past that the same tokens come round again (repeated joins). */
const pool = 30_000;
const secret = 'bench-shop-jwt-secret-0123456789abcdef';
const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

type Signer = (input: string) => Buffer;

function tokens(id: string, alg: 'HS256' | 'ES256', signer: Signer, kid?: string): string[] {
  const header = part({ alg, typ: 'JWT', ...(kid ? { kid } : {}) });
  const exp = Math.floor(Date.now() / 1000) + 3600;
  return Array.from({ length: pool }, (_, i) => {
    const input = `${header}.${part({ sub: `${id}${i}`, exp })}`;
    return `${input}.${signer(input).toString('base64url')}`;
  });
}

function jwtJoin(
  id: string,
  name: string,
  setup: () => { env: Record<string, string>; jwts: string[] },
): BenchCase {
  return httpCase(id, async (system) => {
    await system.admin('/api/coupon/queue/init-stock', { promotionId, stock: 1_000_000_000 });
    const { env, jwts } = setup();
    const server = await system.extraServer({ SHOPPER_AUTH: 'signed', ...env });
    let n = 0;
    return {
      name,
      goalRatio: 0.85,
      subject: {
        label: id,
        method: 'POST',
        origin: server.origin,
        pid: server.pid,
        next: () => ({
          path: '/api/coupon/queue/join',
          body: { promotionId },
          headers: { authorization: `Bearer ${jwts[n++ % jwts.length] ?? ''}` },
        }),
        expectStatus: (status) => status === 200,
      },
      baseline: bareJoin(system, id),
    };
  });
}

export const joinHs256 = jwtJoin('join-hs256', 'POST /join with an HS256 shopper JWT', () => ({
  env: { SHOPPER_JWT_SECRET: secret },
  jwts: tokens('hs', 'HS256', (input) => createHmac('sha256', secret).update(input).digest()),
}));

export const joinEs256 = jwtJoin(
  'join-es256',
  'POST /join with an ES256 shopper JWT (JWKS file)',
  () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = {
      ...publicKey.export({ format: 'jwk' }),
      kid: 'bench-1',
      alg: 'ES256',
      use: 'sig',
    };
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'bench-jwks-')), 'jwks.json');
    writeFileSync(file, JSON.stringify({ keys: [jwk] }));
    const es256: Signer = (input) =>
      sign('sha256', Buffer.from(input), {
        key: privateKey,
        dsaEncoding: 'ieee-p1363',
      });
    return { env: { SHOPPER_JWKS_FILE: file }, jwts: tokens('es', 'ES256', es256, 'bench-1') };
  },
);
