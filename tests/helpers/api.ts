// A small HTTP client for the seed API over real connections.
import type { ShopperState } from '../../core/model/shopperState';
import { adminToken } from './env';

export interface Envelope<T = Record<string, unknown>> {
  success: boolean;
  message: string;
  code?: string;
  data: T;
}

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  body: Envelope<T>;
  headers: Headers;
}

/**
 * Like a shopper's page, the clients keep the queue token each join handed out
 * and send it (Authorization: Bearer) with that shopper's later joins and status
 * reads, which is what unlocks their coupon code (open mode). Shared by every
 * client of the test, as one shopper's tabs would; startSystem forgets them.
 */
const tokens = new Map<string, string>();

export function forgetQueueTokens(): void {
  tokens.clear();
}

/** The queue token some client of this test was handed for the shopper, if any yet. */
export function keptQueueToken(promotionId: number, userId: string): string | undefined {
  return tokens.get(`${String(promotionId)}/${userId}`);
}

export function api(port: number) {
  const base = `http://127.0.0.1:${port}`;
  const shopperKey = (promotionId: unknown, userId: unknown) =>
    `${String(promotionId)}/${String(userId)}`;
  async function call<T = Record<string, unknown>>(
    method: string,
    path: string,
    {
      body,
      admin = false,
      rawBody,
      token,
      headers: extra = {},
    }: {
      body?: unknown;
      admin?: boolean;
      rawBody?: string;
      /** Sent as Authorization: Bearer (a queue token or a shopper JWT). */
      token?: string;
      headers?: Record<string, string>;
    } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...extra };
    if (admin) headers.authorization = `Bearer ${adminToken}`;
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(base + path, {
      method,
      headers,
      body: rawBody ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    return { status: res.status, body: (await res.json()) as Envelope<T>, headers: res.headers };
  }
  return {
    call,
    join: async (promotionId: unknown, userId: unknown) => {
      const key = shopperKey(promotionId, userId);
      const res = await call('POST', '/api/coupon/queue/join', {
        body: { promotionId, userId },
        token: tokens.get(key),
      });
      const handed = (res.body.data as { queueToken?: unknown } | null)?.queueToken;
      if (typeof handed === 'string') tokens.set(key, handed);
      return res;
    },
    status: (promotionId: unknown, userId: unknown) =>
      call<ShopperState>(
        'GET',
        `/api/coupon/queue/status?promotionId=${String(promotionId)}&userId=${encodeURIComponent(String(userId))}`,
        { token: tokens.get(shopperKey(promotionId, userId)) },
      ),
    initStock: (promotionId: number, stock: number) =>
      call('POST', '/api/coupon/queue/init-stock', { body: { promotionId, stock }, admin: true }),
    info: (promotionId: number) =>
      call('GET', `/api/coupon/queue/info?promotionId=${promotionId}`, { admin: true }),
    consistency: (promotionId: number) =>
      call<{ clean: boolean; drift: number; differences: string[] }>(
        'GET',
        `/api/promotions/${promotionId}/consistency`,
        { admin: true },
      ),
    createPromotion: (fields: Record<string, unknown>) =>
      call<{ id: number }>('POST', '/api/promotions', { body: fields, admin: true }),
    confirm: (queueToken: unknown) =>
      call<ShopperState>('POST', '/api/coupon/queue/confirm', { body: { queueToken } }),
    release: (queueToken: unknown) =>
      call<ShopperState>('POST', '/api/coupon/queue/release', { body: { queueToken } }),
    /** `asShop`: the shop's checkout backend calling with the admin token; else no proof at all. */
    coupon: (code: string, action: 'use' | 'cancel' | 'revoke', { asShop = false } = {}) =>
      call('POST', `/api/coupons/${encodeURIComponent(code)}/${action}`, {
        admin: asShop || action === 'revoke',
      }),
  };
}
