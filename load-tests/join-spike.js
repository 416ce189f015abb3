// @ts-check
// join-spike: joins by distinct shoppers arriving at a rate that ramps up to
// TARGET_RATE a second, holds, and ramps down. Every join must be answered 2xx
// (queued) or 409 (sold out / already processed); latency has p95/p99 budgets.
// Teardown deletes the promotion it created.
//
//   k6 run -e BASE_URL=http://127.0.0.1:3000 -e ADMIN_TOKEN=... -e TARGET_RATE=2000 join-spike.js
import { check } from 'k6';
import http from 'k6/http';
import { envNumber } from './lib/env.js';
import { expectedAnswers, join, removePromotion, setupSale, shopperId } from './lib/api.js';

// 2xx and the 409s of a sale are answers, not failures: http_req_failed counts the rest.
http.setResponseCallback(expectedAnswers);

const targetRate = envNumber('TARGET_RATE', 1000);
const rampSeconds = envNumber('RAMP_SECONDS', 30);
const holdSeconds = envNumber('HOLD_SECONDS', 30);

/** @type {import('k6/options').Options} */
export const options = {
  scenarios: {
    joins: {
      executor: 'ramping-arrival-rate',
      startRate: 0,
      timeUnit: '1s',
      // Enough VUs for TARGET_RATE at about 50 ms a join; k6 adds up to maxVUs if slower.
      preAllocatedVUs: envNumber('PRE_VUS', Math.max(50, Math.ceil(targetRate / 20))),
      maxVUs: envNumber('MAX_VUS', Math.max(200, Math.ceil(targetRate / 2))),
      stages: [
        { target: targetRate, duration: rampSeconds + 's' },
        { target: targetRate, duration: holdSeconds + 's' },
        { target: 0, duration: '5s' },
      ],
    },
  },
  thresholds: {
    // Nearly every join answered 2xx or 409: no 5xx, no timeouts, no 429.
    checks: ['rate>0.99'],
    // Requests the server failed (5xx, 429, timeouts): the same 1% allowance.
    http_req_failed: ['rate<0.01'],
    'checks{step:teardown}': ['rate==1'],
    'http_req_duration{name:join}': [
      'p(95)<' + envNumber('P95_MS', 100),
      'p(99)<' + envNumber('P99_MS', 250),
    ],
  },
};

/** Creates the promotion the crowd joins: enough stock that nobody is refused. */
export function setup() {
  return setupSale(envNumber('STOCK', 1000000000));
}

/** @param {{ promotionId: number, runId: string }} data */
export default function (data) {
  const res = join(data.promotionId, shopperId(data.runId));
  check(res, {
    'join answered 2xx or 409': (r) => (r.status >= 200 && r.status < 300) || r.status === 409,
  });
}

/** @param {{ promotionId: number, created: boolean }} data */
export function teardown(data) {
  removePromotion(data);
}
