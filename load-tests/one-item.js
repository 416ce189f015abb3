// @ts-check
// one-item: a promotion with exactly 1 unit and a crowd of CROWD distinct shoppers
// who all join at once, then poll their own status until decided. Afterwards
// exactly one shopper is COMPLETED and every other one lost: FAILED, or refused
// SOLD_OUT at the door if they arrived after the sale ended. Nobody is left
// undecided. The thresholds on the counters below are the verdict; teardown also
// checks the server's own counters (issued 1, nobody waiting), then deletes the
// promotion it created.
//
//   k6 run -e BASE_URL=http://127.0.0.1:3000 -e ADMIN_TOKEN=... -e CROWD=500 one-item.js
import { check } from 'k6';
import http from 'k6/http';
import { Counter } from 'k6/metrics';
import { envNumber } from './lib/env.js';
import {
  envelope,
  expectedAnswers,
  join,
  pollUntilDecided,
  removePromotion,
  setupSale,
  shopperId,
  TEARDOWN,
  waitUntilDrained,
} from './lib/api.js';

// 2xx and 409 SOLD_OUT are answers, not failures: http_req_failed counts the rest.
http.setResponseCallback(expectedAnswers);

const crowd = envNumber('CROWD', 200);
const maxWaitSeconds = envNumber('MAX_WAIT_SECONDS', 120);

// Every VU adds 0 or 1 to each counter, so each counter always has samples to judge.
const completed = new Counter('one_item_completed');
const lost = new Counter('one_item_lost');
const undecided = new Counter('one_item_undecided');

/** @type {import('k6/options').Options} */
export const options = {
  // teardown waits up to 60 s for the drain, plus its own requests.
  teardownTimeout: '90s',
  scenarios: {
    crowd: {
      executor: 'per-vu-iterations',
      vus: crowd,
      iterations: 1,
      maxDuration: maxWaitSeconds + 60 + 's',
    },
  },
  thresholds: {
    one_item_completed: ['count==1'],
    one_item_lost: ['count==' + (crowd - 1)],
    one_item_undecided: ['count==0'],
    // Includes teardown's checks of the server's counters.
    checks: ['rate==1'],
    'checks{step:teardown}': ['rate==1'],
    // One unit for a small crowd: no request may fail.
    http_req_failed: ['rate==0'],
  },
};

export function setup() {
  return setupSale(1);
}

/** @param {{ promotionId: number, runId: string }} data */
export default function (data) {
  const userId = shopperId(data.runId);
  const res = join(data.promotionId, userId);
  const body = envelope(res);
  const refusedAtTheDoor = res.status === 409 && body !== null && body.code === 'SOLD_OUT';
  check(res, { 'join queued or refused SOLD_OUT': (r) => r.status === 200 || refusedAtTheDoor });

  let outcome = refusedAtTheDoor ? 'SOLD_OUT' : 'UNKNOWN';
  if (res.status === 200) {
    outcome = pollUntilDecided(data.promotionId, userId, 0.5, maxWaitSeconds);
  }
  completed.add(outcome === 'COMPLETED' ? 1 : 0);
  lost.add(outcome === 'FAILED' || outcome === 'SOLD_OUT' ? 1 : 0);
  undecided.add(outcome === 'COMPLETED' || outcome === 'FAILED' || outcome === 'SOLD_OUT' ? 0 : 1);
}

/** @param {{ promotionId: number, created: boolean }} data */
export function teardown(data) {
  const last = waitUntilDrained(data.promotionId, 60);
  check(
    last,
    {
      'server issued exactly 1 coupon': (i) => i.issued === 1 && i.totalStock === 1,
      'nobody left waiting or being decided': (i) => i.queueSize === 0 && i.processingCount === 0,
    },
    TEARDOWN
  );
  removePromotion(data);
}
