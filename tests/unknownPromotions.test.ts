// The memory of unknown promotion ids is bounded in size and in time.
import { UnknownPromotions } from '../core/useCases/unknownPromotions';

test('an id is trusted as unknown for the window only, then asked about again', () => {
  let now = 1000;
  const unknown = new UnknownPromotions(5000, 10, () => now);
  unknown.add(1);
  expect(unknown.has(1)).toBe(true);
  now += 4999;
  expect(unknown.has(1)).toBe(true);
  now += 1;
  expect(unknown.has(1)).toBe(false);
  expect(unknown.size).toBe(0);
});

test('past its bound the oldest id goes first, and forget drops one at once', () => {
  const unknown = new UnknownPromotions(5000, 3);
  for (const id of [1, 2, 3, 4]) unknown.add(id);
  expect([1, 2, 3, 4].map((id) => unknown.has(id))).toEqual([false, true, true, true]);
  expect(unknown.size).toBe(3);
  unknown.forget(3);
  expect(unknown.has(3)).toBe(false);
});

test('a window of 0 remembers nothing', () => {
  const unknown = new UnknownPromotions(0);
  unknown.add(1);
  expect(unknown.has(1)).toBe(false);
});
