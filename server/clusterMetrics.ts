// /metrics with SERVER_PROCESSES > 1: each server process counts in its own
// registry, so a scrape answered by one of them would show that process alone,
// a different one each time. The primary gathers every process's registry (each
// runs its scrape-time readers first) and merges them with prom-client's
// AggregatorRegistry.aggregate: counters and histograms summed, gauges of shared
// state taken once (each metric's `aggregator`, core/metrics/metrics.ts). It
// answers on METRICS_PORT itself; without one, the process a scrape reaches on
// the public port asks the primary for the merged text.
// (Not AggregatorRegistry.clusterMetrics: its worker side answers without the
// readers that fill the gauges, and one slow process would fail the scrape.)
import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import type { LocalMetrics, Metrics } from '../core/metrics/metrics';
import type { ScrapeSource } from '../core/metrics/metricsListener';

const ask = 'waiting-room:metrics-ask'; // server process -> primary: the merged text, please
const text = 'waiting-room:metrics-text'; // primary -> the one that asked
const collect = 'waiting-room:metrics-collect'; // primary -> every server process
const local = 'waiting-room:metrics-local'; // server process -> primary: its registry as JSON

type Message =
  | { type: typeof ask; id: number }
  | { type: typeof text; id: number; text?: string; error?: string }
  | { type: typeof collect; id: number }
  | { type: typeof local; id: number; metrics: LocalMetrics };

const isMessage = (m: unknown): m is Message =>
  typeof (m as Partial<Message> | null)?.type === 'string' &&
  typeof (m as Partial<Message>).id === 'number';

/** A process that has not answered by then is left out of that scrape (a stale view beats none). */
const gatherTimeoutMs = 3000;

/** An IPC write refused because the other process is exiting: nothing to do. */
const ignore = (): void => undefined;

export interface ClusterScrape extends ScrapeSource {
  close(): void;
}

/** The primary's side: gathers and merges on request (its own METRICS_PORT, or a process asking). */
export function primaryMetrics(): ClusterScrape {
  let next = 0;
  const pending = new Map<number, { lists: LocalMetrics[]; waiting: Set<Worker>; done(): void }>();

  const scrape = async (): Promise<string> => {
    const id = next++;
    const waiting = new Set(
      Object.values(cluster.workers ?? {}).flatMap((w) => (w?.isConnected() ? [w] : [])),
    );
    const lists: LocalMetrics[] = [];
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, gatherTimeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      pending.set(id, { lists, waiting, done });
      // A process exiting meanwhile refuses the write; onExit stops waiting for it.
      for (const worker of waiting) worker.send({ type: collect, id } satisfies Message, ignore);
      if (waiting.size === 0) done();
    });
    pending.delete(id);
    return AggregatorRegistry.aggregate(lists).metrics();
  };

  const onMessage = (worker: Worker, message: unknown) => {
    if (!isMessage(message)) return;
    if (message.type === local) {
      const gathering = pending.get(message.id);
      if (!gathering?.waiting.delete(worker)) return;
      gathering.lists.push(message.metrics);
      if (gathering.waiting.size === 0) gathering.done();
    } else if (message.type === ask) {
      const reply = (answer: Omit<Extract<Message, { type: typeof text }>, 'type' | 'id'>) => {
        if (worker.isConnected()) worker.send({ type: text, id: message.id, ...answer }, ignore);
      };
      scrape().then(
        (merged) => {
          reply({ text: merged });
        },
        (err: unknown) => {
          reply({ error: err instanceof Error ? err.message : String(err) });
        },
      );
    }
  };
  // A process that exits mid-gather will not answer: stop waiting for it.
  const onExit = (worker: Worker) => {
    for (const gathering of pending.values()) {
      if (gathering.waiting.delete(worker) && gathering.waiting.size === 0) gathering.done();
    }
  };
  cluster.on('message', onMessage);
  cluster.on('exit', onExit);
  return {
    contentType: AggregatorRegistry.PROMETHEUS_CONTENT_TYPE,
    scrape,
    close() {
      cluster.off('message', onMessage);
      cluster.off('exit', onExit);
    },
  };
}

/**
 * A server process's side: answers the primary's gathering with its own registry
 * (readers run first), and makes its /metrics route ask the primary for the merged text.
 */
export function workerMetrics(metrics: Metrics): { close(): void } {
  let next = 0;
  const asked = new Map<number, { resolve(text: string): void; reject(err: Error): void }>();
  const onMessage = (message: unknown) => {
    if (!isMessage(message)) return;
    if (message.type === collect) {
      const answer = (list: LocalMetrics) => {
        process.send?.({ type: local, id: message.id, metrics: list } satisfies Message);
      };
      // A registry that cannot render answers empty: the primary then need not wait for it.
      metrics.localJson().then(answer, () => {
        answer([]);
      });
    } else if (message.type === text) {
      const waiter = asked.get(message.id);
      asked.delete(message.id);
      if (message.text !== undefined) waiter?.resolve(message.text);
      else waiter?.reject(new Error(`merging the processes' metrics failed: ${message.error}`));
    }
  };
  process.on('message', onMessage);
  metrics.scrapeWith(
    () =>
      new Promise<string>((resolve, reject) => {
        const id = next++;
        asked.set(id, { resolve, reject });
        process.send?.({ type: ask, id } satisfies Message);
      }),
  );
  return {
    close() {
      process.off('message', onMessage);
      for (const waiter of asked.values()) waiter.reject(new Error('server process stopping'));
      asked.clear();
    },
  };
}
