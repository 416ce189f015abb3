// The shop's side of signed mode, for tests and the bench: sign shopper JWTs
// (HS256 with a shared secret, or an asymmetric key with a kid) and serve a JWKS
// over real HTTP on 127.0.0.1, with the keys swappable mid-test (rotation).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

export const shopIssuer = 'https://shop.test';
export const roomAudience = 'waiting-room';
export const hsSecret = 'the-shop-and-the-room-share-this-secret-0123';

export interface SigningKey {
  alg: 'ES256' | 'RS256' | 'EdDSA';
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

export async function newSigningKey(alg: SigningKey['alg'], kid: string): Promise<SigningKey> {
  const pair = await generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await exportJWK(pair.publicKey)), kid, alg, use: 'sig' };
  return { alg, kid, privateKey: pair.privateKey, jwk };
}

export interface Claims {
  sub?: string;
  iss?: string;
  aud?: string;
  /** Seconds from now (negative: already expired); null: no exp claim. */
  expiresIn?: number | null;
}

function build({
  sub = 'shopper-1',
  iss = shopIssuer,
  aud = roomAudience,
  expiresIn = 300,
}: Claims) {
  const jwt = new SignJWT({}).setSubject(sub).setIssuer(iss).setAudience(aud).setIssuedAt();
  if (expiresIn !== null) jwt.setExpirationTime(Math.floor(Date.now() / 1000) + expiresIn);
  return jwt;
}

/** An HS256 token signed with `secret` (the room's, or a forger's). */
export function hsToken(claims: Claims = {}, secret = hsSecret): Promise<string> {
  return build(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(secret));
}

/** A token signed with `key`, naming `kid` (its own unless told otherwise). */
export function keyToken(key: SigningKey, claims: Claims = {}, kid = key.kid): Promise<string> {
  return build(claims).setProtectedHeader({ alg: key.alg, kid }).sign(key.privateKey);
}

/** alg=none: a header and payload with an empty signature, as an attacker would send. */
export function unsignedToken(sub = 'shopper-1'): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const exp = Math.floor(Date.now() / 1000) + 300;
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ sub, iss: shopIssuer, aud: roomAudience, exp })}.`;
}

export interface JwksServer {
  url: string;
  /** The keys served from now on. */
  serve(keys: SigningKey[]): void;
  /** How many times the JWKS was fetched. */
  fetches(): number;
  close(): Promise<void>;
}

export async function startJwksServer(keys: SigningKey[]): Promise<JwksServer> {
  let served = keys;
  let count = 0;
  const server: Server = createServer((_req, res) => {
    count += 1;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: served.map((k) => k.jwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    serve: (next) => (served = next),
    fetches: () => count,
    close: () =>
      new Promise((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections(); // the room's fetch keeps its connection alive
      }),
  };
}
