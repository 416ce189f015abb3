// The console's two operator views: the consistency report (verdict first, the
// whole JSON folded away) and the dead-letter list with a Replay per letter.
import type { ApiResult } from './api';
import { $, actionCell, cell } from './dom';

export interface ConsistencyReport {
  clean: boolean;
  differences: string[];
  redis: { issued: number | null; pendingPersist: number };
  database: { issued: number; holding: number; used: number };
}

export interface DeadLetter {
  id: string;
  kind: string;
  promotionId: number;
  error: string;
  at: string;
}

export function renderConsistency(result: ApiResult<ConsistencyReport>): void {
  if (result.kind === 'unreachable') return;
  $('#consistency').hidden = false;
  const summary = $('#consistency-summary');
  const list = $('#consistency-differences');
  const report = $('#consistency-report');
  if (result.kind === 'refused') {
    summary.textContent = result.message;
    list.replaceChildren();
    report.textContent = '';
    return;
  }
  const r = result.data;
  summary.textContent =
    `${result.message} Issued: ${r.redis.issued ?? '–'} in Redis, ${r.database.issued} in the ` +
    `database (${r.database.used} used); ${r.redis.pendingPersist} not yet written.`;
  summary.className = r.clean ? 'state-OPEN' : 'state-CLOSED';
  list.replaceChildren(
    ...r.differences.map((text) => {
      const li = document.createElement('li');
      li.textContent = text;
      return li;
    }),
  );
  report.textContent = JSON.stringify(r, null, 2);
}

export function renderDeadLetters(
  letters: DeadLetter[],
  onReplay: (letter: DeadLetter) => void,
): void {
  $('#dead-empty').hidden = letters.length > 0;
  $('#dead-letters').replaceChildren(
    ...letters.map((letter) => {
      const tr = document.createElement('tr');
      tr.append(
        cell(new Date(letter.at).toLocaleString()),
        cell(String(letter.promotionId)),
        cell(letter.kind),
        cell(letter.error),
        actionCell('Replay', `Replay dead letter ${letter.id}`, () => {
          onReplay(letter);
        }),
      );
      return tr;
    }),
  );
}
