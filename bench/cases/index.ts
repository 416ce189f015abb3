// Every bench case, in table order. Later rows plug in here:
// - drain: 100,000 waiting shoppers decided and persisted, batch 1,000 (with the database work);
// - socket: decision-to-client latency p50/p99 and memory per connection (with the live queue).
import { joinVsBare } from './joinVsBare';
import { redisMemory } from './redisMemory';
import { soldOutJoin } from './soldOutJoin';
import { statusReads } from './statusReads';
import type { BenchCase } from './types';

export const cases: BenchCase[] = [joinVsBare, soldOutJoin, statusReads, redisMemory];
