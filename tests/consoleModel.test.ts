// The console's pure derivations: a sale's status in words, and the waits read
// from the figure history.
import { saleStatus } from '../core/model/saleStatus';
import { waitDistribution, type FigureSample } from '../core/model/figures';

const now = Date.parse('2026-12-01T12:00:00Z');
const hourAgo = new Date(now - 3_600_000).toISOString();
const inAnHour = new Date(now + 3_600_000).toISOString();
const plenty = { currentStock: 5, held: 0 };

test.each([
  ['open with stock', { state: 'OPEN', startsAt: null, endsAt: null }, plenty, 'OPEN'],
  ['before its start', { state: 'OPEN', startsAt: inAnHour, endsAt: null }, plenty, 'SCHEDULED'],
  ['paused', { state: 'PAUSED', startsAt: null, endsAt: null }, plenty, 'PAUSED'],
  [
    'nothing left, nothing held',
    { state: 'OPEN', startsAt: null, endsAt: null },
    { currentStock: 0, held: 0 },
    'SOLD OUT',
  ],
  [
    'nothing left but units held',
    { state: 'OPEN', startsAt: null, endsAt: null },
    { currentStock: 0, held: 2 },
    'OPEN',
  ],
  [
    'paused and sold out',
    { state: 'PAUSED', startsAt: null, endsAt: null },
    { currentStock: 0, held: 0 },
    'SOLD OUT',
  ],
  ['past its end', { state: 'OPEN', startsAt: null, endsAt: hourAgo }, plenty, 'ENDED'],
  [
    'closed, even with stock',
    { state: 'CLOSED', startsAt: null, endsAt: hourAgo },
    plenty,
    'CLOSED',
  ],
  ['no live figures', { state: 'OPEN', startsAt: null, endsAt: null }, null, 'OPEN'],
] as const)('a sale %s is %s', (_what, record, live, expected) => {
  expect(saleStatus(record, live, now)).toBe(expected);
});

function sample(at: number, fields: Partial<FigureSample>): FigureSample {
  return {
    at,
    joined: 0,
    served: 0,
    queueSize: 0,
    issued: 0,
    held: 0,
    stock: 0,
    admitted: 0,
    failed: 0,
    expired: 0,
    ...fields,
  };
}

test('waits are read from the samples: joined at one time, admitted at a later one', () => {
  const t = now;
  const samples = [
    // Ten join in the first second, ten more by the fifth; nobody admitted yet.
    sample(t - 1_000, { joined: 0 }),
    sample(t, { joined: 10 }),
    sample(t + 5_000, { joined: 20 }),
    // At 20 s the first ten are admitted (waited 20 s); at 95 s the next eight, and two fail.
    sample(t + 20_000, { joined: 20, served: 10, admitted: 10 }),
    sample(t + 95_000, { joined: 20, served: 20, admitted: 8, failed: 2, expired: 1 }),
  ];
  const d = waitDistribution(samples);
  // 10 waited 20 s (10-30 s), 8 waited 90 s (1-2 min).
  expect(d.counts).toEqual([0, 10, 0, 8, 0, 0, 0]);
  expect(d).toMatchObject({ unknown: 0, failed: 2, expired: 1, medianMs: 20_000, p90Ms: 90_000 });
});

test('shoppers who joined before the history starts are counted as unknown, not guessed', () => {
  const d = waitDistribution([
    sample(now, { joined: 50, served: 0 }),
    sample(now + 2_000, { joined: 50, served: 60 - 10, admitted: 50 }),
  ]);
  expect(d.unknown).toBe(50);
  expect(d.medianMs).toBeNull();
});

test.each([
  ['before its line opens', -30, 'SCHEDULED'],
  ['the moment its line opens', 0, 'PRE-QUEUE'],
  ['with its line open a while', 30, 'PRE-QUEUE'],
] as const)('a sale with an early line, %s, is %s', (_what, minutesSinceLineOpened, expected) => {
  const record = {
    state: 'OPEN' as const,
    startsAt: inAnHour,
    endsAt: null,
    prequeueAt: new Date(now - minutesSinceLineOpened * 60_000).toISOString(),
  };
  expect(saleStatus(record, plenty, now)).toBe(expected);
  // Paused, sold out or closed says so, early line or not.
  expect(saleStatus({ ...record, state: 'PAUSED' }, plenty, now)).toBe('PAUSED');
  expect(saleStatus(record, { currentStock: 0, held: 0 }, now)).toBe('SOLD OUT');
  expect(saleStatus({ ...record, state: 'CLOSED' }, plenty, now)).toBe('CLOSED');
});

test('from its start, a sale that had an early line is OPEN', () => {
  const twoHoursAgo = new Date(now - 7_200_000).toISOString();
  const record = {
    state: 'OPEN' as const,
    startsAt: hourAgo,
    endsAt: null,
    prequeueAt: twoHoursAgo,
  };
  expect(saleStatus(record, plenty, now)).toBe('OPEN');
});
