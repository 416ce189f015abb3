// The drain-rate meter behind every ETA: served per second over a sliding window.
import { DrainRateMeter } from '../core/live/drainRate';
import { placeInQueue, type PromotionProgress } from '../core/live/contract';

test('no rate until two samples span time; then served per second', () => {
  const meter = new DrainRateMeter();
  expect(meter.observe(1, 0, 1000, true)).toBeNull();
  expect(meter.observe(1, 100, 2000, true)).toBe(100);
  expect(meter.observe(1, 250, 3000, true)).toBe(125);
});

test('only the window counts: an old fast spell ages out', () => {
  const meter = new DrainRateMeter(2000);
  meter.observe(1, 0, 0, true);
  meter.observe(1, 1000, 1000, true); // a burst
  meter.observe(1, 1010, 2000, true);
  expect(meter.observe(1, 1020, 3000, true)).toBe(10);
});

test('an idle tick restarts the window, so a quiet spell does not drag the next rush down', () => {
  const meter = new DrainRateMeter();
  meter.observe(1, 0, 0, true);
  meter.observe(1, 50, 1000, true);
  expect(meter.observe(1, 50, 60_000, false)).toBeNull();
  expect(meter.observe(1, 150, 61_000, true)).toBe(100);
});

test('a served counter that went back (promotion reset) restarts, promotions are apart', () => {
  const meter = new DrainRateMeter();
  meter.observe(1, 500, 0, true);
  expect(meter.observe(1, 10, 1000, true)).toBeNull();
  meter.observe(2, 0, 0, true);
  expect(meter.observe(2, 7, 1000, true)).toBe(7);
  expect(meter.observe(1, 30, 2000, true)).toBe(20);
});

test('a page turns one progress message into its own place and ETA', () => {
  const progress = { served: 40, drainRate: 20 } as PromotionProgress;
  expect(placeInQueue(100, progress)).toEqual({ position: 60, etaSeconds: 3 });
  expect(placeInQueue(41, progress)).toEqual({ position: 1, etaSeconds: 1 });
  expect(placeInQueue(100, { ...progress, drainRate: 0 })).toEqual({
    position: 60,
    etaSeconds: null,
  });
});
