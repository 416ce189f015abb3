// The Bloom filter behind the sold-out fast path: never "absent" for a member.
import { BloomFilter } from '../core/room/bloomFilter';

test('every added shopper is reported as maybe present (no false "absent")', () => {
  const filter = new BloomFilter(20_000);
  const members = Array.from({ length: 20_000 }, (_, i) => `member-${i}`);
  for (const id of members) filter.add(id);
  expect(members.filter((id) => !filter.mightContain(id))).toEqual([]);
});

test('at its capacity, about 1% of strangers are false positives (well under 3%)', () => {
  const filter = new BloomFilter(20_000);
  for (let i = 0; i < 20_000; i++) filter.add(String(i));
  let falsePositives = 0;
  for (let i = 20_000; i < 40_000; i++) if (filter.mightContain(String(i))) falsePositives++;
  expect(falsePositives / 20_000).toBeLessThan(0.03);
});

test('an empty filter contains nobody', () => {
  const filter = new BloomFilter(0);
  expect(['', 'a', '1', 'x'.repeat(64)].some((id) => filter.mightContain(id))).toBe(false);
});
