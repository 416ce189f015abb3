// @ts-check
// socket: shoppers arrive at RATE a second, join over HTTP, then wait for their
// result on Socket.IO instead of polling: connect with the queueToken that join
// returned, answer pings, and stop at the first per-shopper event saying COMPLETED
// or FAILED. time_to_result is the time from the join's answer to that event.
// k6 has no Socket.IO client, so lib/socketio.js speaks the protocol by hand over
// k6/ws (present in every k6 release). Teardown deletes the promotion it created.
//
//   k6 run -e BASE_URL=http://127.0.0.1:3000 -e ADMIN_TOKEN=... -e RATE=50 socket.js
import { check } from 'k6';
import http from 'k6/http';
import { Counter, Trend } from 'k6/metrics';
import ws from 'k6/ws';
import { BASE_URL, envNumber, envString } from './lib/env.js';
import {
  envelope,
  expectedAnswers,
  join,
  removePromotion,
  setupSale,
  shopperId,
} from './lib/api.js';
import { connectPacket, parsePacket, socketUrl } from './lib/socketio.js';

// Event names follow the event map in core/live/contract.ts (ServerToClientEvents): one
// per-shopper event and one per-promotion event. Keep them here, in one place.
const EVENTS = {
  /** The shopper's own status, the same shape as GET /status answers. */
  shopper: 'state',
  /** The promotion's progress (served, queue size, ETA), once per drain tick. */
  promotion: 'progress',
};

// 2xx and 409 SOLD_OUT are answers, not failures: http_req_failed counts the rest.
http.setResponseCallback(expectedAnswers);

const rate = envNumber('RATE', 50);
const maxWaitSeconds = envNumber('MAX_WAIT_SECONDS', 60);
const url = envString('SOCKET_URL', socketUrl(BASE_URL));

const timeToResult = new Trend('socket_time_to_result', true);
const handshake = new Trend('socket_handshake', true);
const progressEvents = new Counter('socket_progress_events');
const undecided = new Counter('socket_undecided');
const connectErrors = new Counter('socket_connect_errors');

/** @type {import('k6/options').Options} */
export const options = {
  scenarios: {
    shoppers: {
      executor: 'constant-arrival-rate',
      rate: rate,
      timeUnit: '1s',
      duration: envNumber('DURATION_SECONDS', 30) + 's',
      preAllocatedVUs: envNumber('PRE_VUS', Math.max(20, rate * 5)),
      maxVUs: envNumber('MAX_VUS', Math.max(100, rate * maxWaitSeconds)),
      gracefulStop: maxWaitSeconds + 's',
    },
  },
  thresholds: {
    checks: ['rate>0.99'],
    http_req_failed: ['rate<0.01'],
    'checks{step:teardown}': ['rate==1'],
    socket_handshake: ['p(95)<' + envNumber('HANDSHAKE_P95_MS', 200)],
    socket_time_to_result: ['p(95)<' + envNumber('RESULT_P95_MS', 5000)],
    socket_undecided: ['count==0'],
    socket_connect_errors: ['count==0'],
  },
};

export function setup() {
  return setupSale(envNumber('STOCK', 100));
}

/** @param {{ promotionId: number, runId: string }} data */
export default function (data) {
  const res = join(data.promotionId, shopperId(data.runId));
  const body = envelope(res);
  const token = body && body.data ? body.data.queueToken : undefined;
  check(res, {
    'join answered 200 or 409': (r) => r.status === 200 || r.status === 409,
    'a queued shopper got a queueToken': (r) => r.status !== 200 || typeof token === 'string',
  });
  if (res.status !== 200 || typeof token !== 'string') return;
  const joinedAt = Date.now();
  let decided = false;

  const wsRes = ws.connect(url, null, function (socket) {
    let openedAt = 0;
    socket.on('open', function () {
      openedAt = Date.now();
    });
    socket.on('message', function (text) {
      const packet = parsePacket(text);
      if (packet.kind === 'ping') {
        socket.send('3');
      } else if (packet.kind === 'open') {
        socket.send(connectPacket({ token: token }));
      } else if (packet.kind === 'connected') {
        handshake.add(Date.now() - openedAt);
      } else if (packet.kind === 'connect_error') {
        connectErrors.add(1);
        socket.close();
      } else if (packet.kind === 'event' && packet.name === EVENTS.promotion) {
        progressEvents.add(1);
      } else if (packet.kind === 'event' && packet.name === EVENTS.shopper) {
        const status = packet.payload ? packet.payload.status : undefined;
        if (status === 'COMPLETED' || status === 'FAILED') {
          decided = true;
          timeToResult.add(Date.now() - joinedAt);
          socket.close();
        }
      }
    });
    socket.setTimeout(function () {
      socket.close();
    }, maxWaitSeconds * 1000);
  });
  check(wsRes, { 'websocket upgraded (101)': (r) => r !== null && r.status === 101 });
  undecided.add(decided ? 0 : 1);
}

/** @param {{ promotionId: number, created: boolean }} data */
export function teardown(data) {
  removePromotion(data);
}
