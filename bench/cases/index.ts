// Every bench case, in table order.
import { crowd } from './crowd';
import { drainPersist } from './drainPersist';
import { events } from './events';
import { joinEs256, joinHs256 } from './joinJwt';
import { joinPow } from './joinPow';
import { joinLimited, joinVsBare } from './joinVsBare';
import { prequeueOpen } from './prequeueOpen';
import { redisMemory } from './redisMemory';
import { socketLive } from './socketLive';
import { soldOutJoin } from './soldOutJoin';
import { statusReads } from './statusReads';
import type { BenchCase } from './types';

export const cases: BenchCase[] = [
  joinVsBare,
  joinLimited,
  joinHs256,
  joinEs256,
  joinPow,
  soldOutJoin,
  statusReads,
  crowd,
  redisMemory,
  prequeueOpen,
  drainPersist,
  events,
  socketLive,
];
