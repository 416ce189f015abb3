// Prometheus metrics (prom-client), one registry per process. Counters move
// where things happen (the server's join route, the worker after each drain
// tick); gauges that describe shared state (queue length, stock, BullMQ depth)
// are read from Redis when Prometheus scrapes, so every server reports the
// same cluster-wide value: aggregate those with max(), not sum(). Within one
// machine's SERVER_PROCESSES the primary merges the processes' registries
// (server/clusterMetrics.ts) by each metric's `aggregator`: those gauges are
// taken once ('first'), everything a process counts itself is summed.
import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  Registry,
  type Aggregator,
} from 'prom-client';
import { withTimeout } from '../platform/timeout';
import type { Decision } from '../room/waitingRoom';
import type { ScrapeSource } from './metricsListener';

/** A reader run on every scrape; a slow or failing one must not break the others. */
type Collector = () => Promise<void>;

/** One registry's metrics as data, what AggregatorRegistry.aggregate merges. */
export type LocalMetrics = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

const scrapeTimeoutMs = 2000;

export class Metrics implements ScrapeSource {
  readonly registry = new Registry();
  private readonly collectors: Collector[] = [];
  /** Where scrape() gets its text from other than this registry (a cluster's merged view). */
  private source: (() => Promise<string>) | null = null;

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by route pattern and status (its _count is the request rate)',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly joins = new Counter({
    name: 'waiting_room_joins_total',
    help: 'Join requests per promotion by result (joined, duplicate, sold_out, closed, already_processed)',
    labelNames: ['promotion', 'result'] as const,
    registers: [this.registry],
  });
  readonly admitted = new Counter({
    name: 'waiting_room_admitted_total',
    help: 'Shoppers taken off the waiting list by drain ticks',
    labelNames: ['promotion'] as const,
    registers: [this.registry],
  });
  readonly issued = new Counter({
    name: 'waiting_room_coupons_issued_total',
    help: 'Coupons issued (shoppers decided COMPLETED)',
    labelNames: ['promotion'] as const,
    registers: [this.registry],
  });
  readonly failed = new Counter({
    name: 'waiting_room_failed_total',
    help: 'Shoppers decided FAILED, by reason',
    labelNames: ['promotion', 'reason'] as const,
    registers: [this.registry],
  });
  readonly holds = new Counter({
    name: 'waiting_room_holds_total',
    help: 'Hold-mode units held for admitted shoppers, and how holds ended (expired by the worker)',
    labelNames: ['promotion', 'event'] as const,
    registers: [this.registry],
  });
  readonly tickDuration = new Histogram({
    name: 'waiting_room_drain_tick_duration_seconds',
    help: 'Time one drain tick takes (claim, issue, sold-out sweep)',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly rateLimited = new Counter({
    name: 'waiting_room_rate_limited_total',
    help: 'Requests refused with 429, by limiter',
    labelNames: ['limiter'] as const,
    registers: [this.registry],
  });
  readonly eventsRelayed = new Counter({
    name: 'waiting_room_events_relayed_total',
    help: 'Domain events moved from the outbox to the events stream and the webhook queue',
    registers: [this.registry],
  });
  readonly webhookDeliveries = new Counter({
    name: 'waiting_room_webhook_deliveries_total',
    help: 'Webhook delivery attempts by result (delivered, failed: retried or dead-lettered)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly repairs = new Counter({
    name: 'waiting_room_repairs_total',
    help: 'Drift the scheduled reconcile repaired (RECONCILE_REPAIR=auto), per promotion and fact',
    labelNames: ['promotion', 'fact'] as const,
    registers: [this.registry],
  });
  readonly queueLength = this.gauge(
    'waiting_room_queue_length',
    'Shoppers waiting, per promotion (read from Redis on scrape)',
    ['promotion'],
  );
  readonly stock = this.gauge(
    'waiting_room_stock_remaining',
    'Coupons left, per promotion (read from Redis on scrape)',
    ['promotion'],
  );
  readonly held = this.gauge(
    'waiting_room_held',
    'Units held for shoppers who have not confirmed yet, per promotion (available + held + issued = total)',
    ['promotion'],
  );
  readonly issuedNow = this.gauge(
    'waiting_room_issued',
    'Units issued as coupons, per promotion (read from Redis on scrape)',
    ['promotion'],
  );
  readonly processing = this.gauge(
    'waiting_room_processing',
    'Shoppers claimed by a tick but not yet decided (read from Redis on scrape)',
    ['promotion'],
  );
  readonly bullJobs = this.gauge(
    'waiting_room_bullmq_jobs',
    'BullMQ jobs per queue and state (read from Redis on scrape)',
    ['queue', 'state'],
  );

  constructor({ defaultMetrics = true } = {}) {
    if (defaultMetrics) collectDefaultMetrics({ register: this.registry });
  }

  /** A gauge, reused if a hook already registered it (all-in-one shares one registry). */
  private gauge<L extends string>(
    name: string,
    help: string,
    labelNames: L[],
    aggregator: Aggregator = 'first',
  ): Gauge<L> {
    const existing = this.registry.getSingleMetric(name);
    if (existing instanceof Gauge) return existing;
    // Most are read from shared state (Redis): every process of a cluster reads the same value.
    return new Gauge({ name, help, labelNames, registers: [this.registry], aggregator });
  }

  /** Runs `collect` on every scrape, before the text is rendered. */
  onScrape(collect: Collector): void {
    this.collectors.push(collect);
  }

  /** Counts what one drain tick did (the worker calls this after drainTick). */
  recordTick(
    report: { promotionId: number; claimed: number; decided: Decision[]; expired: unknown[] },
    seconds: number,
  ): void {
    const promotion = String(report.promotionId);
    this.tickDuration.observe(seconds);
    if (report.claimed > 0) this.admitted.inc({ promotion }, report.claimed);
    let completed = 0;
    let held = 0;
    for (const d of report.decided) {
      if (d.outcome === 'COMPLETED') completed++;
      else if (d.outcome === 'HELD') held++;
      else this.failed.inc({ promotion, reason: d.detail });
    }
    if (completed > 0) this.issued.inc({ promotion }, completed);
    if (held > 0) this.holds.inc({ promotion, event: 'held' }, held);
    if (report.expired.length > 0) {
      this.holds.inc({ promotion, event: 'expired' }, report.expired.length);
    }
  }

  // --- Hooks for the other modules: each registers its gauge on first use. ---

  /** Persistence: shoppers' decisions parked in the dead-letter set, read on scrape. */
  observeDeadLetters(read: () => Promise<number>): void {
    const gauge = this.gauge(
      'waiting_room_dead_letters',
      'Decisions that ran out of persistence retries and wait for an operator',
      [],
    );
    this.onScrape(async () => {
      gauge.set(await read());
    });
  }

  /** Reconciliation: Redis minus database, per promotion and counter (0 when consistent). */
  observeDrift(
    read: () => Promise<{ promotionId: number; counter: string; drift: number }[]>,
  ): void {
    const gauge = this.gauge(
      'waiting_room_drift',
      'Redis value minus database value, per promotion and counter; alert when not 0',
      ['promotion', 'counter'],
    );
    this.onScrape(async () => {
      const rows = await read();
      gauge.reset();
      for (const row of rows) {
        gauge.set({ promotion: String(row.promotionId), counter: row.counter }, row.drift);
      }
    });
  }

  /** Socket.IO gateway: open connections on this server (e.g. io.engine.clientsCount). */
  observeSocketConnections(read: () => number): void {
    const gauge = this.gauge(
      'waiting_room_socket_connections',
      'Socket.IO connections open on this server',
      [],
      'sum', // each process counts its own
    );
    this.onScrape(() => {
      gauge.set(read());
      return Promise.resolve();
    });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** Runs every collector (bounded in time), then renders the exposition text. */
  async scrape(onError: (err: unknown) => void = () => undefined): Promise<string> {
    if (this.source) return this.source();
    await this.collect(onError);
    return this.registry.metrics();
  }

  /** This process's own metrics as data, collectors run first (for a cluster's primary to merge). */
  async localJson(onError: (err: unknown) => void = () => undefined): Promise<LocalMetrics> {
    await this.collect(onError);
    return this.registry.getMetricsAsJSON();
  }

  /** scrape() answers `source`'s text instead of this registry's (a server process in a cluster). */
  scrapeWith(source: () => Promise<string>): void {
    this.source = source;
  }

  private async collect(onError: (err: unknown) => void): Promise<void> {
    await Promise.all(
      this.collectors.map(async (collect) => {
        try {
          await withTimeout(
            collect(),
            scrapeTimeoutMs,
            `metrics collector timed out after ${scrapeTimeoutMs} ms`,
          );
        } catch (err) {
          onError(err); // stale values beat no metrics at all
        }
      }),
    );
  }
}
