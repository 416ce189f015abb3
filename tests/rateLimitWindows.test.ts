// The rate limiter's memory stage: fixed windows per key, kept in two
// generations instead of a timer per key; a window lasts exactly its length.
import { LocalWindows } from '../server/http/rateLimit';

test('a key is counted within its window, across a generation swap, and afresh once the window ends', () => {
  let clock = 1_000;
  const windows = new LocalWindows(60_000, () => clock);
  expect(windows.hit('ann').hits).toBe(1);
  clock += 50_000;
  expect(windows.hit('bob')).toEqual({ hits: 1, endsAt: 111_000 });
  clock += 20_000; // past the first swap: ann's window (ends 61,000) is over, bob's is not
  expect(windows.hit('ann')).toEqual({ hits: 1, endsAt: 131_000 });
  expect(windows.hit('bob')).toEqual({ hits: 2, endsAt: 111_000 });
  clock += 40_000; // bob's window ended during the second generation
  expect(windows.hit('bob').hits).toBe(1);
});

test('a block refuses the key until the given time, then it starts afresh', () => {
  let clock = 0;
  const windows = new LocalWindows(60_000, () => clock);
  windows.hit('ip');
  windows.block('ip', 101, 30_000);
  expect(windows.hit('ip')).toEqual({ hits: 102, endsAt: 30_000 });
  windows.block('new', 101, 10_000);
  expect(windows.hit('new').hits).toBe(102);
  clock = 30_000;
  expect(windows.hit('ip')).toEqual({ hits: 1, endsAt: 90_000 });
});

test('a key nobody hits again is forgotten after two window lengths, with no timer left behind', () => {
  let clock = 0;
  const windows = new LocalWindows(1_000, () => clock);
  for (let i = 0; i < 1000; i++) windows.hit(`shopper${i}`);
  clock = 2_500;
  windows.hit('late');
  clock = 3_600;
  windows.hit('later');
  const generations = windows as unknown as {
    current: Map<string, unknown>;
    previous: Map<string, unknown>;
  };
  expect(generations.current.size + generations.previous.size).toBe(2);
});
