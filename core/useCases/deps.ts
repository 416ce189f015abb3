// What the server hands its use cases: the process's services, plus the
// server-only parts (the sold-out fast path, the queue-token signer, metrics).
// Each use case names the narrow part of it that it touches.
import type { LivePublisher } from '../live/publisher';
import type { QueueTokens } from '../live/queueToken';
import type { Metrics } from '../metrics/metrics';
import type { SoldOutCache } from '../room/soldOutCache';
import type { Services } from '../services';
import type { UnknownPromotions } from './unknownPromotions';
import type { JoinChallenges } from './challenge';
import type { PublicFaces } from './publicFace';

export interface ServerDeps extends Services {
  /** Joins go through it: a known sell-out is answered without Redis. */
  joins: SoldOutCache;
  /** Signs the queueToken a page presents to the live socket. */
  tokens: QueueTokens;
  metrics: Metrics;
  /** Tells pages what a server-side decision changed (hold confirm/release). */
  publisher: LivePublisher;
  /** Made-up promotion ids cost the database one query per id per window. */
  unknown: UnknownPromotions;
  /** Proof of work before a join, for promotions that ask for it. */
  challenges: JoinChallenges;
  /** What shopper pages show of a promotion, kept a moment per server. */
  faces: PublicFaces;
}

/**
 * A use case that can put stock back tells this server's sold-out fast path to
 * stop trusting a sell-out; a process without one (the worker, a script) has none.
 */
export interface StockWatch {
  joins?: Pick<SoldOutCache, 'forget'>;
  /** A created promotion is no longer unknown here. */
  unknown?: UnknownPromotions;
  /** A changed promotion's challenge setting is read again. */
  challenges?: Pick<JoinChallenges, 'forget'>;
  /** A changed promotion's public face is read again. */
  faces?: Pick<PublicFaces, 'forget'>;
}
