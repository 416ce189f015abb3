// Webhook deliveries give way to the drain (worker/drainFirst.ts): a delivery
// starts at once while the drain is quiet, waits out a busy drain's quiet
// period, and never waits longer than its bound. Fake timers: no real waiting.
import { DrainFirst } from '../worker/drainFirst';

beforeEach(() => {
  jest.useFakeTimers();
});
afterEach(() => {
  jest.useRealTimers();
});

/** Whether the promise settled once the timers reached `ms` from now. */
async function settledAfter(promise: Promise<void>, ms: number): Promise<boolean> {
  let settled = false;
  void promise.then(() => (settled = true));
  await jest.advanceTimersByTimeAsync(ms);
  return settled;
}

test('a quiet drain lets a delivery start at once; idle ticks do not count as busy', async () => {
  const gate = new DrainFirst(100);
  expect(await settledAfter(gate.idle(1000), 0)).toBe(true);
  await gate.run(
    () => Promise.resolve({ decided: 0 }),
    (r) => r.decided > 0,
  );
  expect(await settledAfter(gate.idle(1000), 0)).toBe(true);
});

test('after a tick that did work, a delivery waits for the quiet period, not longer', async () => {
  const gate = new DrainFirst(100);
  await gate.run(
    () => Promise.resolve({ decided: 5 }),
    (r) => r.decided > 0,
  );
  const waiting = gate.idle(1000);
  expect(await settledAfter(waiting, 50)).toBe(false);
  expect(await settledAfter(waiting, 60)).toBe(true);
});

test('while drain work runs a delivery waits, but at most maxWaitMs', async () => {
  const gate = new DrainFirst(100);
  let finish = () => {};
  const running = gate.run(
    () => new Promise<void>((resolve) => (finish = resolve)),
    () => false,
  );
  const waiting = gate.idle(1000);
  expect(await settledAfter(waiting, 900)).toBe(false);
  expect(await settledAfter(waiting, 110)).toBe(true); // the bound: deliveries never stop
  finish();
  await running;
  expect(await settledAfter(gate.idle(1000), 0)).toBe(true);
});
