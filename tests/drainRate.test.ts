// The drain-rate meter behind every ETA: served per second over a sliding window.
import { DrainRateMeter } from '../core/live/drainRate';
import { placeInQueue, type PromotionProgress } from '../core/live/contract';

test('no rate until a tick admitted someone; then admitted per second of admitting ticks', () => {
  const meter = new DrainRateMeter();
  expect(meter.observe(1, 0, 1000)).toBeNull();
  expect(meter.observe(1, 100, 2000)).toBe(100);
  expect(meter.observe(1, 250, 3000)).toBe(125);
});

test('only the window counts: an old fast spell ages out', () => {
  const meter = new DrainRateMeter(1500);
  meter.observe(1, 0, 0);
  meter.observe(1, 1000, 1000); // a burst
  meter.observe(1, 1010, 2000);
  expect(meter.observe(1, 1020, 3000)).toBe(10);
});

test('paused or empty ticks count neither shoppers nor time: the rate after a pause is the rate before', () => {
  const meter = new DrainRateMeter();
  meter.observe(1, 0, 0);
  expect(meter.observe(1, 10, 100)).toBe(100);
  // Paused for a minute, a tick every 100 ms, nobody admitted: the rate stays.
  for (let at = 200; at <= 60_000; at += 100) expect(meter.observe(1, 10, at)).toBe(100);
  expect(meter.observe(1, 20, 60_100)).toBe(100);
});

test('a served counter that went back (promotion reset) restarts, promotions are apart', () => {
  const meter = new DrainRateMeter();
  meter.observe(1, 500, 0);
  expect(meter.observe(1, 10, 1000)).toBeNull();
  meter.observe(2, 0, 0);
  expect(meter.observe(2, 7, 1000)).toBe(7);
  expect(meter.observe(1, 30, 2000)).toBe(20);
});

test('a page turns one progress message into its own place and ETA', () => {
  const progress = { served: 40, drainRate: 20 } as PromotionProgress;
  const progress2 = { ...progress, reach: 100 };
  expect(placeInQueue(100, progress2)).toEqual({ position: 60, beyondStock: false, etaSeconds: 3 });
  expect(placeInQueue(41, progress2)).toEqual({ position: 1, beyondStock: false, etaSeconds: 1 });
  expect(placeInQueue(100, { ...progress2, drainRate: 0 })).toEqual({
    position: 60,
    beyondStock: false,
    etaSeconds: null,
  });
  // 5 units left for 60 places: no ETA to nowhere.
  expect(placeInQueue(100, { ...progress2, reach: 5 })).toEqual({
    position: 60,
    beyondStock: true,
    etaSeconds: null,
  });
});
