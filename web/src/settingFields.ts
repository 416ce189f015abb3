// The promotion settings a marketer sets, described once and drawn into both the
// create and the edit form: each field's label, hint and rule in words, checked in
// the page before anything is sent, and the server's refusals shown at the field.
import type { PromotionMode } from '../../core/model/promotion';

export interface SettingValues {
  name: string;
  totalStock: number;
  startsAt: string | null;
  endsAt: string | null;
  mode: PromotionMode;
  holdSeconds: number;
  batchSize: number;
  intervalMs: number;
}
export type SettingKey = keyof SettingValues;

interface Spec {
  key: SettingKey;
  label: string;
  hint: string;
  kind: 'text' | 'whole' | 'time' | 'mode';
  /** Whole numbers: the range the server accepts. */
  min?: number;
  max?: number;
  /** Must be given when creating. */
  required?: boolean;
}

// Issue 16 adds description, pre-queue time, queueing order, standby, proof-of-work
// challenge and redeem URL: their helpers add a Spec each here (and a SettingValues key).
const specs: Spec[] = [
  { key: 'name', label: 'Name', hint: 'Shown to shoppers.', kind: 'text', required: true },
  {
    key: 'totalStock',
    label: 'Total stock',
    hint: 'How many coupons there are in all.',
    kind: 'whole',
    min: 0,
    max: 1_000_000_000,
    required: true,
  },
  { key: 'startsAt', label: 'Starts at', hint: 'Empty: opens at once.', kind: 'time' },
  { key: 'endsAt', label: 'Ends at', hint: 'Empty: runs until closed.', kind: 'time' },
  {
    key: 'mode',
    label: 'When a shopper’s turn comes',
    hint: 'Hold: they must confirm in time (e.g. to pay), or the unit goes to the next.',
    kind: 'mode',
  },
  {
    key: 'holdSeconds',
    label: 'Seconds to confirm',
    hint: 'How long a unit is held for the shopper.',
    kind: 'whole',
    min: 1,
    max: 86_400,
  },
  {
    key: 'batchSize',
    label: 'Shoppers admitted per step',
    hint: 'Empty: the server’s default.',
    kind: 'whole',
    min: 1,
    max: 10_000,
  },
  {
    key: 'intervalMs',
    label: 'Time between steps (ms)',
    hint: '1000 ms = one step a second. Empty: the server’s default.',
    kind: 'whole',
    min: 10,
    max: 3_600_000,
  },
];

const modeWords: Record<PromotionMode, string> = {
  instant: 'Give the coupon at once',
  hold: 'Hold a unit until they confirm',
};

/** A datetime-local value (the browser's time zone) for an ISO time. */
function localInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}` +
    `T${pad(d.getHours())}:${pad(d.getMinutes())}`
  );
}

const ruleOf = (s: Spec) =>
  s.kind === 'whole'
    ? `${s.label} must be a whole number from ${s.min?.toLocaleString() ?? 0} to ${s.max?.toLocaleString() ?? ''}.`
    : s.kind === 'text'
      ? `Give the sale a name (up to 200 characters).`
      : s.kind === 'time'
        ? `${s.label} must be a date and time, or empty.`
        : `Choose what happens when a shopper’s turn comes.`;

export class SettingsForm {
  private readonly inputs = new Map<SettingKey, HTMLInputElement | HTMLSelectElement>();
  private readonly errors = new Map<SettingKey, HTMLElement>();
  private readonly holdField: HTMLElement;

  /** Draws the fields into `container`; ids start with `prefix` (new-, set-). */
  constructor(
    container: HTMLElement,
    private readonly prefix: string,
    private readonly creating: boolean,
  ) {
    container.replaceChildren(...specs.map((s) => this.field(s)));
    const hold = this.errors.get('holdSeconds')?.parentElement;
    if (!hold) throw new Error('holdSeconds field missing');
    this.holdField = hold;
    this.input('mode').addEventListener('change', () => {
      this.showHold();
    });
    this.showHold();
  }

  private field(s: Spec): HTMLElement {
    const id = `${this.prefix}${s.key}`;
    const wrap = document.createElement('div');
    wrap.className = 'field';
    const label = document.createElement('label');
    label.htmlFor = id;
    label.textContent = s.label + (s.required || !this.creating ? '' : ' (optional)');
    let input: HTMLInputElement | HTMLSelectElement;
    if (s.kind === 'mode') {
      input = document.createElement('select');
      for (const [value, words] of Object.entries(modeWords)) input.add(new Option(words, value));
    } else {
      input = document.createElement('input');
      input.type = s.kind === 'time' ? 'datetime-local' : 'text';
      if (s.kind === 'whole') input.inputMode = 'numeric';
      input.autocomplete = 'off';
    }
    input.id = id;
    const hint = document.createElement('p');
    hint.className = 'hint';
    hint.id = `${id}-hint`;
    hint.textContent = s.hint;
    const error = document.createElement('p');
    error.className = 'error';
    error.id = `${id}-error`;
    input.setAttribute('aria-describedby', `${hint.id} ${error.id}`);
    this.inputs.set(s.key, input);
    this.errors.set(s.key, error);
    wrap.append(label, input, hint, error);
    return wrap;
  }

  input(key: SettingKey): HTMLInputElement | HTMLSelectElement {
    const input = this.inputs.get(key);
    if (!input) throw new Error(`No field ${key}`);
    return input;
  }

  private showHold(): void {
    this.holdField.hidden = this.input('mode').value !== 'hold';
  }

  /** Shows a promotion's settings. */
  fill(p: SettingValues): void {
    for (const s of specs) {
      const value = p[s.key];
      this.input(s.key).value =
        s.kind === 'time' ? localInput(value as string | null) : String(value ?? '');
    }
    if (p.mode !== 'hold') this.input('holdSeconds').value = '';
    this.showHold();
    this.clearErrors();
  }

  reset(): void {
    for (const input of this.inputs.values()) input.value = '';
    this.input('mode').value = 'instant';
    this.showHold();
  }

  clearErrors(): void {
    for (const [key, el] of this.errors) this.setError(key, '', el);
  }

  private setError(key: SettingKey, text: string, el = this.errors.get(key)): void {
    if (!el) return;
    el.textContent = text;
    this.input(key).setAttribute('aria-invalid', text ? 'true' : 'false');
  }

  /**
   * The fields as the API takes them, checked here first: `values` has every field
   * filled in (an emptied time is null), `problems` says in words what is wrong.
   */
  read(): { values: Partial<SettingValues>; problems: number } {
    this.clearErrors();
    const values: Record<string, unknown> = {};
    let problems = 0;
    const hold = this.input('mode').value === 'hold';
    for (const s of specs) {
      const text = this.input(s.key).value.trim();
      let problem = '';
      if (s.key === 'holdSeconds' && !hold) continue;
      if (text === '') {
        if (s.kind === 'time' && !this.creating) values[s.key] = null;
        const needed = (s.required && this.creating) || (s.key === 'holdSeconds' && hold);
        if (needed) problem = s.kind === 'text' ? ruleOf(s) : `Give the ${s.label.toLowerCase()}.`;
      } else if (s.kind === 'whole') {
        const n = Number(text.replaceAll(/[,\s_]/g, ''));
        if (Number.isInteger(n) && n >= (s.min ?? 0) && n <= (s.max ?? Infinity)) values[s.key] = n;
        else problem = ruleOf(s);
      } else if (s.kind === 'time') {
        const at = new Date(text);
        if (Number.isNaN(at.getTime())) problem = ruleOf(s);
        else values[s.key] = at.toISOString();
      } else if (s.kind === 'text' && text.length > 200) problem = ruleOf(s);
      else values[s.key] = text;
      if (problem) {
        problems++;
        this.setError(s.key, problem);
      }
    }
    const { startsAt, endsAt } = values;
    if (typeof startsAt === 'string' && typeof endsAt === 'string' && endsAt <= startsAt) {
      problems++;
      this.setError('endsAt', 'The end must be after the start.');
    }
    if (problems > 0) this.focusFirstError();
    return { values: values, problems };
  }

  /**
   * A refusal from the server shown at the fields it names (its message lists
   * `field reason` parts); returns what no field took, for the form's own line.
   */
  showRefusal(message: string, code: string): string {
    if (code === 'STOCK_BELOW_ISSUED') {
      this.setError('totalStock', message);
      this.focusFirstError();
      return '';
    }
    const parts = message
      .replace(/^Invalid request:\s*/, '')
      .replace(/\.$/, '')
      .split('; ');
    const rest: string[] = [];
    for (const part of parts) {
      const spec = specs.find((s) => new RegExp(`^${s.key}\\b`).test(part));
      if (spec)
        this.setError(
          spec.key,
          spec.key === 'endsAt' ? 'The end must be after the start.' : ruleOf(spec),
        );
      else rest.push(part);
    }
    this.focusFirstError();
    return rest.length === parts.length ? message : rest.join('; ');
  }

  private focusFirstError(): void {
    const first = specs.find((s) => this.errors.get(s.key)?.textContent);
    if (first) this.input(first.key).focus();
  }
}
