// A server process that keeps dying is restarted later each time, never in a tight loop.
import { restartDelayMs } from '../server/cluster';

test('restart delays double from 100 ms per quick crash and stop at 30 s', () => {
  expect([1, 2, 3, 4, 5].map(restartDelayMs)).toEqual([100, 200, 400, 800, 1600]);
  expect(restartDelayMs(9)).toBe(25_600);
  expect(restartDelayMs(10)).toBe(30_000);
  expect(restartDelayMs(1000)).toBe(30_000);
});
