// The one timeout race (readiness checks, metrics collectors, Redis connect):
// a hung call fails with a message in bounded time, and no timer outlives the race.
import { withTimeout } from '../core/platform/timeout';

beforeEach(() => {
  jest.useFakeTimers();
});

afterEach(() => {
  jest.useRealTimers();
});

test('a call that never answers is refused with the message once the time is up', async () => {
  const raced = withTimeout(new Promise<never>(() => undefined), 1000, 'collector timed out');
  const outcome = expect(raced).rejects.toThrow('collector timed out');
  await jest.advanceTimersByTimeAsync(1000);
  await outcome;
  expect(jest.getTimerCount()).toBe(0);
});

test('without a message it says how long it waited', async () => {
  const raced = withTimeout(new Promise<never>(() => undefined), 250);
  const outcome = expect(raced).rejects.toThrow('no answer within 250 ms');
  await jest.advanceTimersByTimeAsync(250);
  await outcome;
});

test('an answer in time passes through, and its timer is cleared at once', async () => {
  await expect(withTimeout(Promise.resolve('PONG'), 1000)).resolves.toBe('PONG');
  expect(jest.getTimerCount()).toBe(0);
  const failure = new Error('connection is reconnecting');
  await expect(withTimeout(Promise.reject(failure), 1000)).rejects.toBe(failure);
  expect(jest.getTimerCount()).toBe(0);
});
