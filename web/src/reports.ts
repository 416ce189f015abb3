// The console's two operator views, in a marketer's words: the check that Redis
// and the database agree (verdict first, the whole report folded away) and the
// coupons not yet saved to the database (dead letters), each with Save again.
import type { ApiResult } from './api';
import { $, actionCell, cell } from './dom';

export interface ConsistencyReport {
  clean: boolean;
  /** How many facts disagree: 0 when clean. */
  drift: number;
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
    (r.clean
      ? 'The live figures (Redis) and the record (the database) agree.'
      : `The live figures (Redis) and the record (the database) disagree on ${r.drift} ` +
        `point${r.drift === 1 ? '' : 's'} (the “drift”; 0 means they agree). ` +
        'Usually it settles within seconds as coupons are saved; if it stays, ask an operator to resync.') +
    ` Coupons issued: ${r.redis.issued ?? '–'} live, ${r.database.issued} in the ` +
    `database (${r.database.used} used); ${r.redis.pendingPersist} not yet saved.`;
  summary.className = r.clean ? 'verdict-good' : 'verdict-bad';
  list.replaceChildren(
    ...r.differences.map((text) => {
      const li = document.createElement('li');
      li.textContent = text;
      return li;
    }),
  );
  report.textContent = JSON.stringify(r, null, 2);
}

const kindWords: Record<string, string> = {
  'persist-job': 'A batch of coupons',
  decision: 'One coupon',
};

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
        cell(kindWords[letter.kind] ?? letter.kind),
        cell(letter.error),
        actionCell('Save again', `Save again: ${letter.id}`, () => {
          onReplay(letter);
        }),
      );
      return tr;
    }),
  );
}
