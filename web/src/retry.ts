// The shopper page's retries, with backoff: 1 s, doubling up to 10 s; one retry
// pending at a time, and a success starts the delay over.

const firstDelayMs = 1000;
const maxDelayMs = 10_000;

let timer: number | undefined;
let delayMs = firstDelayMs;

/** Runs `what` after the current delay, replacing any retry still pending. */
export function retryLater(what: () => void): void {
  window.clearTimeout(timer);
  timer = window.setTimeout(what, delayMs);
  delayMs = Math.min(delayMs * 2, maxDelayMs);
}

/** It went through: the next retry waits the shortest delay again. */
export function retrySucceeded(): void {
  delayMs = firstDelayMs;
}

export function cancelRetry(): void {
  window.clearTimeout(timer);
}
