// Gauges of shared state, read from Redis when Prometheus scrapes: per
// promotion (queue length, stock left, held, issued, processing) and per BullMQ queue (jobs
// by state). Bounded: at most `promotionLimit` promotions, the newest ids.
import type { Queue } from 'bullmq';
import type { Metrics } from './metrics';
import type { WaitingRoom } from '../room/waitingRoom';

export const promotionLimit = 200;
const jobStates = ['waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed'] as const;

export function watchState(metrics: Metrics, room: WaitingRoom, queues: Queue[]): void {
  metrics.onScrape(async () => {
    const ids = (await room.promotionIds()).slice(-promotionLimit);
    const infos = await Promise.all(ids.map((id) => room.info(id)));
    const gauges = [
      metrics.queueLength,
      metrics.stock,
      metrics.held,
      metrics.issuedNow,
      metrics.processing,
    ];
    for (const gauge of gauges) gauge.reset();
    for (const info of infos) {
      if (!info) continue;
      const promotion = String(info.promotionId);
      metrics.queueLength.set({ promotion }, info.queueSize);
      // From one HGETALL: stock + held + issued = total in every scrape.
      metrics.stock.set({ promotion }, info.currentStock);
      metrics.held.set({ promotion }, info.held);
      metrics.issuedNow.set({ promotion }, info.issued);
      metrics.processing.set({ promotion }, info.processingCount);
    }
  });
  metrics.onScrape(async () => {
    const counts = await Promise.all(queues.map((q) => q.getJobCounts(...jobStates)));
    metrics.bullJobs.reset();
    queues.forEach((queue, i) => {
      for (const state of jobStates) {
        metrics.bullJobs.set({ queue: queue.name, state }, counts[i]?.[state] ?? 0);
      }
    });
  });
}
