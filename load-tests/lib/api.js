// @ts-check
// The seed API as k6 calls it: join, status (shoppers); init-stock, info and
// promotion delete (admin). Every request carries a `name` tag, so thresholds can
// target one endpoint.
import http from 'k6/http';
import { check, fail, sleep } from 'k6';
import { ADMIN_TOKEN, BASE_URL, envString } from './env.js';

const jsonHeaders = { 'content-type': 'application/json' };

/**
 * The { success, message, code?, data } envelope, or null when the body is not JSON.
 * @typedef {{ success: boolean, message: string, code?: string, data: any }} Envelope
 */

/**
 * @param {import('k6/http').RefinedResponse<any>} res
 * @returns {Envelope | null}
 */
export function envelope(res) {
  if (typeof res.body !== 'string') return null;
  try {
    return /** @type {Envelope} */ (JSON.parse(res.body));
  } catch (e) {
    return null;
  }
}

/** @returns {{ [name: string]: string }} */
function adminHeaders() {
  if (!ADMIN_TOKEN) fail('ADMIN_TOKEN is required: setup creates a promotion through init-stock');
  return { 'content-type': 'application/json', authorization: 'Bearer ' + ADMIN_TOKEN };
}

/**
 * A shopper id unique in this run: run id, VU number, iteration number.
 * @param {string} runId
 */
export function shopperId(runId) {
  return 'k6-' + runId + '-' + __VU + '-' + __ITER;
}

/**
 * @param {number} promotionId
 * @param {string} userId
 * @param {string} [name] the request's name tag (default "join")
 */
export function join(promotionId, userId, name) {
  return http.post(BASE_URL + '/api/coupon/queue/join', JSON.stringify({ promotionId, userId }), {
    headers: jsonHeaders,
    tags: { name: name || 'join' },
  });
}

/**
 * @param {number} promotionId
 * @param {string} userId
 */
export function status(promotionId, userId) {
  const query = 'promotionId=' + promotionId + '&userId=' + encodeURIComponent(userId);
  return http.get(BASE_URL + '/api/coupon/queue/status?' + query, { tags: { name: 'status' } });
}

/**
 * Creates (or restocks) a promotion; fails the test when the server refuses.
 * @param {number} promotionId
 * @param {number} stock
 */
export function initStock(promotionId, stock) {
  const res = http.post(
    BASE_URL + '/api/coupon/queue/init-stock',
    JSON.stringify({ promotionId, stock }),
    { headers: adminHeaders(), tags: { name: 'init-stock' } }
  );
  if (res.status !== 200) fail('init-stock answered ' + res.status + ': ' + String(res.body));
}

/**
 * The promotion's counters (issued, queueSize, processingCount, joined, ...).
 * @param {number} promotionId
 * @returns {any}
 */
export function info(promotionId) {
  const res = http.get(BASE_URL + '/api/coupon/queue/info?promotionId=' + promotionId, {
    headers: adminHeaders(),
    tags: { name: 'info' },
  });
  const body = envelope(res);
  if (res.status !== 200 || !body) fail('info answered ' + res.status + ': ' + String(res.body));
  return body ? body.data : null;
}

/**
 * The answers a scenario expects from the server: any 2xx, and the 409s a sale
 * gives by design (SOLD_OUT, ALREADY_PROCESSED). Each scenario passes this to
 * http.setResponseCallback, so http_req_failed counts only real failures (5xx,
 * 429, 404, timeouts); the checks still tell the 409 codes apart.
 */
export const expectedAnswers = http.expectedStatuses({ min: 200, max: 299 }, 409);

/** Tags of teardown's checks: thresholds on checks{step:teardown} make them a verdict of their own. */
export const TEARDOWN = { step: 'teardown' };

/**
 * Removes a promotion this run created, with its coupons, Redis keys and drain
 * schedule (DELETE /api/promotions/:id?coupons=delete). A promotion named with
 * PROMOTION_ID is the tester's and stays, as does any with KEEP_PROMOTION=true.
 * @param {{ promotionId: number, created: boolean }} data
 */
export function removePromotion(data) {
  if (!data.created || envString('KEEP_PROMOTION', 'false') === 'true') {
    // A sample either way, so checks{step:teardown} always has something to judge.
    check(data, { 'promotion kept as asked': () => true }, TEARDOWN);
    return;
  }
  const res = http.del(BASE_URL + '/api/promotions/' + data.promotionId + '?coupons=delete', null, {
    headers: adminHeaders(),
    tags: { name: 'delete-promotion' },
  });
  check(res, { 'promotion deleted': (r) => r.status === 200 }, TEARDOWN);
}

/**
 * A promotion id for this run: PROMOTION_ID, or one derived from the clock.
 * @param {string} fromEnv
 */
export function promotionIdFor(fromEnv) {
  return fromEnv ? Number(fromEnv) : Date.now();
}

/**
 * Polls info until nobody is waiting or being decided, for at most maxSeconds.
 * @param {number} promotionId
 * @param {number} maxSeconds
 * @returns {any} the last info read
 */
export function waitUntilDrained(promotionId, maxSeconds) {
  let last = info(promotionId);
  for (let waited = 0; waited < maxSeconds; waited += 0.5) {
    if (last.queueSize === 0 && last.processingCount === 0) return last;
    sleep(0.5);
    last = info(promotionId);
  }
  return last;
}

/**
 * Polls a shopper's status until COMPLETED or FAILED, for at most maxSeconds.
 * @param {number} promotionId
 * @param {string} userId
 * @param {number} intervalSeconds
 * @param {number} maxSeconds
 * @returns {string} the last status seen (WAITING/PROCESSING if it never settled)
 */
export function pollUntilDecided(promotionId, userId, intervalSeconds, maxSeconds) {
  let last = 'UNKNOWN';
  const polls = Math.max(1, Math.ceil(maxSeconds / intervalSeconds));
  for (let i = 0; i < polls; i++) {
    const body = envelope(status(promotionId, userId));
    if (body && body.data) last = body.data.status;
    if (last === 'COMPLETED' || last === 'FAILED') return last;
    sleep(intervalSeconds);
  }
  return last;
}

/**
 * The usual setup: a promotion (PROMOTION_ID, or a fresh id) with `stock` units,
 * and a run id that keeps this run's shopper ids apart from earlier runs'.
 * `created` says whether teardown should remove it (a fresh id) or not.
 * @param {number} stock
 * @returns {{ promotionId: number, runId: string, created: boolean }}
 */
export function setupSale(stock) {
  const fromEnv = envString('PROMOTION_ID', '');
  const promotionId = promotionIdFor(fromEnv);
  initStock(promotionId, stock);
  return { promotionId: promotionId, runId: String(Date.now()), created: fromEnv === '' };
}
