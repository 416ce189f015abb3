// The operator's side of dead letters: what could not reach the database after
// its retries, listed, and replayed (back on the write-behind log, persistence queued).
import type { DeadLetter } from '../writeBehind/deadLetters';
import { AppError, ErrorCode } from '../platform/errors';
import { enqueueDeliveryOnce } from '../jobs/eventJobs';
import type { Services } from '../services';

export type DeadLetterDeps = Pick<
  Services,
  'deadLetters' | 'log' | 'requestPersist' | 'config' | 'connections'
>;

export function listDeadLetters(deps: DeadLetterDeps): Promise<DeadLetter[]> {
  return deps.deadLetters.list();
}

/** Takes the letter off the list and hands its work back to persistence; 404 if unknown. */
export async function replayDeadLetter(deps: DeadLetterDeps, id: string): Promise<DeadLetter> {
  const letter = await deps.deadLetters.take(id);
  if (!letter) throw new AppError(ErrorCode.NotFound, `No dead letter ${id}.`);
  if (letter.kind === 'webhook') {
    // A fresh delivery with a full set of retries; the receiver dedupes on the event id.
    const { webhookId, event } = letter.delivery;
    await enqueueDeliveryOnce(
      deps.connections.bull,
      deps.config.keyPrefix,
      { webhookId, events: [event] },
      deps.config.webhooks,
    );
    return letter;
  }
  if (letter.kind === 'decision') {
    await deps.log.append(letter.promotionId, [
      { ...letter.decision, issuedAt: new Date(letter.decision.issuedAt) },
    ]);
  }
  await deps.requestPersist(letter.promotionId);
  return letter;
}
