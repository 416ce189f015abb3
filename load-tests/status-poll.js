// @ts-check
// status-poll: shoppers arrive at RATE a second, join, then poll their status every
// POLL_INTERVAL seconds until COMPLETED or FAILED, as a page without a socket would.
// time_to_result is the time from the join's answer to the first decided status;
// it is bounded by the drain rate (batchSize per intervalMs) plus one poll interval.
// Teardown deletes the promotion it created.
//
//   k6 run -e BASE_URL=http://127.0.0.1:3000 -e ADMIN_TOKEN=... -e RATE=50 status-poll.js
import { check } from 'k6';
import http from 'k6/http';
import { Counter, Trend } from 'k6/metrics';
import { envNumber } from './lib/env.js';
import {
  expectedAnswers,
  join,
  pollUntilDecided,
  removePromotion,
  setupSale,
  shopperId,
} from './lib/api.js';

// 2xx and 409 SOLD_OUT are answers, not failures: http_req_failed counts the rest.
http.setResponseCallback(expectedAnswers);

const rate = envNumber('RATE', 50);
const durationSeconds = envNumber('DURATION_SECONDS', 30);
const pollInterval = envNumber('POLL_INTERVAL', 0.5);
const maxWaitSeconds = envNumber('MAX_WAIT_SECONDS', 60);

const timeToResult = new Trend('time_to_result', true);
const undecided = new Counter('status_poll_undecided');

/** @type {import('k6/options').Options} */
export const options = {
  scenarios: {
    shoppers: {
      executor: 'constant-arrival-rate',
      rate: rate,
      timeUnit: '1s',
      duration: durationSeconds + 's',
      // Each shopper holds a VU while it waits for its result.
      preAllocatedVUs: envNumber('PRE_VUS', Math.max(20, rate * 5)),
      maxVUs: envNumber('MAX_VUS', Math.max(100, rate * maxWaitSeconds)),
      gracefulStop: maxWaitSeconds + 's',
    },
  },
  thresholds: {
    checks: ['rate>0.99'],
    http_req_failed: ['rate<0.01'],
    'checks{step:teardown}': ['rate==1'],
    'http_req_duration{name:status}': [
      'p(95)<' + envNumber('P95_MS', 50),
      'p(99)<' + envNumber('P99_MS', 150),
    ],
    time_to_result: ['p(95)<' + envNumber('RESULT_P95_MS', 5000)],
    status_poll_undecided: ['count==0'],
  },
};

export function setup() {
  return setupSale(envNumber('STOCK', 100));
}

/** @param {{ promotionId: number, runId: string }} data */
export default function (data) {
  const userId = shopperId(data.runId);
  const res = join(data.promotionId, userId);
  check(res, { 'join answered 200 or 409': (r) => r.status === 200 || r.status === 409 });
  if (res.status !== 200) return; // sold out before this shopper came: nothing to wait for

  const joinedAt = Date.now();
  const outcome = pollUntilDecided(data.promotionId, userId, pollInterval, maxWaitSeconds);
  const decided = outcome === 'COMPLETED' || outcome === 'FAILED';
  undecided.add(decided ? 0 : 1);
  if (decided) timeToResult.add(Date.now() - joinedAt);
}

/** @param {{ promotionId: number, created: boolean }} data */
export function teardown(data) {
  removePromotion(data);
}
