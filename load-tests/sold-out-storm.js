// @ts-check
// sold-out-storm: a promotion with STOCK units is sold out in setup (STOCK shoppers
// join and the drain decides them), then a storm of new shoppers arrives at
// STORM_RATE a second. Every join must be refused 409 SOLD_OUT, fast: a server
// that knows the sale is over answers without a Redis round trip
// (SOLD_OUT_CACHE_MS). Teardown checks the storm added nobody to the queue, then
// deletes the promotion it created.
//
//   k6 run -e BASE_URL=http://127.0.0.1:3000 -e ADMIN_TOKEN=... -e STORM_RATE=5000 sold-out-storm.js
import { check, fail } from 'k6';
import http from 'k6/http';
import { envNumber, envString } from './lib/env.js';
import {
  envelope,
  expectedAnswers,
  initStock,
  join,
  promotionIdFor,
  removePromotion,
  shopperId,
  TEARDOWN,
  waitUntilDrained,
} from './lib/api.js';

// 2xx and 409 SOLD_OUT are answers, not failures: http_req_failed counts the rest
// (the check still demands SOLD_OUT of every storm join).
http.setResponseCallback(expectedAnswers);

const stock = envNumber('STOCK', 10);
const stormRate = envNumber('STORM_RATE', 2000);

/** @type {import('k6/options').Options} */
export const options = {
  setupTimeout: '120s',
  teardownTimeout: '60s',
  scenarios: {
    storm: {
      executor: 'constant-arrival-rate',
      rate: stormRate,
      timeUnit: '1s',
      duration: envNumber('DURATION_SECONDS', 30) + 's',
      preAllocatedVUs: envNumber('PRE_VUS', Math.max(50, Math.ceil(stormRate / 50))),
      maxVUs: envNumber('MAX_VUS', Math.max(200, Math.ceil(stormRate / 5))),
    },
  },
  thresholds: {
    // Every storm join refused SOLD_OUT, and teardown's counters hold.
    checks: ['rate==1'],
    'checks{step:teardown}': ['rate==1'],
    http_req_failed: ['rate==0'],
    'http_req_duration{name:join_sold_out}': [
      'p(95)<' + envNumber('P95_MS', 20),
      'p(99)<' + envNumber('P99_MS', 50),
    ],
  },
};

/** Sells the promotion out: STOCK shoppers join, then wait until the drain decided them. */
export function setup() {
  const fromEnv = envString('PROMOTION_ID', '');
  const promotionId = promotionIdFor(fromEnv);
  initStock(promotionId, stock);
  for (let i = 0; i < stock; i++) {
    const res = join(promotionId, 'k6-buyer-' + promotionId + '-' + i, 'join_setup');
    if (res.status !== 200) fail('setup join ' + i + ' answered ' + res.status);
  }
  const drained = waitUntilDrained(promotionId, 90);
  if (drained.issued !== stock || drained.queueSize !== 0) {
    fail('setup could not sell out: ' + JSON.stringify(drained));
  }
  return {
    promotionId,
    runId: String(Date.now()),
    joined: drained.joined,
    created: fromEnv === '',
  };
}

/** @param {{ promotionId: number, runId: string }} data */
export default function (data) {
  const res = join(data.promotionId, shopperId(data.runId), 'join_sold_out');
  const body = envelope(res);
  check(res, {
    'refused 409 SOLD_OUT': (r) => r.status === 409 && body !== null && body.code === 'SOLD_OUT',
  });
}

/** @param {{ promotionId: number, joined: number, created: boolean }} data */
export function teardown(data) {
  const last = waitUntilDrained(data.promotionId, 30);
  check(
    last,
    {
      'the storm added nobody to the queue': (i) => i.joined === data.joined && i.queueSize === 0,
      'stock never oversold': (i) => i.issued === stock,
    },
    TEARDOWN
  );
  removePromotion(data);
}
