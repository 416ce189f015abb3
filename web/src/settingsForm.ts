// A form of the promotion settings (settingFields.ts), for creating or for editing:
// drawn from the specs, checked in the page before anything is sent, each problem
// said in words at its field, and the server's refusals shown at the field too.
import {
  choiceValue,
  ruleOf,
  specs,
  type SettingKey,
  type SettingValues,
  type Spec,
} from './settingFields';
import {
  isWebAddress,
  lengthProblem,
  localInput,
  orderWords,
  prequeueOpenWords,
  timeOrderProblems,
  wholeNumber,
} from './settingRules';

type Box = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** What is wrong with a shopper-page text or link as typed, in words; null: nothing. */
function pageTextProblem(s: Spec, text: string): string | null {
  const tooLong = lengthProblem(text, s.max ?? Infinity, s.noun ?? s.label);
  if (tooLong) return tooLong;
  return s.kind === 'link' && !isWebAddress(text) ? ruleOf(s) : null;
}

export class SettingsForm {
  private readonly inputs = new Map<SettingKey, Box>();
  private readonly errors = new Map<SettingKey, HTMLElement>();

  /** Draws the fields into `container`; ids start with `prefix` (new-, set-). */
  constructor(
    container: HTMLElement,
    private readonly prefix: string,
    private readonly creating: boolean,
  ) {
    container.replaceChildren(...specs.map((s) => this.field(s)));
    for (const s of specs) {
      if (s.shownWhen)
        this.input(s.shownWhen.key).addEventListener('change', () => {
          this.shown();
        });
    }
    this.shown();
  }

  private field(s: Spec): HTMLElement {
    const id = `${this.prefix}${s.key}`;
    const wrap = document.createElement('div');
    wrap.className = 'field';
    const label = document.createElement('label');
    label.htmlFor = id;
    const optional =
      s.required || s.neededWhenShown || s.kind === 'choice' || !this.creating ? '' : ' (optional)';
    label.textContent = s.label + optional;
    let input: Box;
    if (s.choices) {
      input = document.createElement('select');
      for (const [value, words] of s.choices) input.add(new Option(words, String(value)));
    } else if (s.kind === 'long') {
      // No maxlength: a longer paste is kept and said in words, not cut off unseen.
      input = document.createElement('textarea');
      input.rows = (s.max ?? 0) > 1000 ? 4 : 2;
      wrap.classList.add('wide');
    } else {
      input = document.createElement('input');
      input.type = s.kind === 'time' ? 'datetime-local' : 'text';
      if (s.kind === 'whole') input.inputMode = 'numeric';
      if (s.kind === 'link') {
        input.inputMode = 'url'; // not type=url: its own bubble would speak instead of ours
        input.spellcheck = false;
        wrap.classList.add('wide');
      }
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

  input(key: SettingKey): Box {
    const input = this.inputs.get(key);
    if (!input) throw new Error(`No field ${key}`);
    return input;
  }

  /** A field that depends on a choice (hold seconds, puzzle size) is there only with it. */
  private isShown(s: Spec): boolean {
    return !s.shownWhen || this.input(s.shownWhen.key).value === s.shownWhen.value;
  }

  private shown(): void {
    for (const s of specs) {
      const wrap = this.input(s.key).parentElement;
      if (wrap) wrap.hidden = !this.isShown(s);
    }
  }

  /** Shows a promotion's settings. */
  fill(p: SettingValues): void {
    for (const s of specs) {
      const value = p[s.key];
      this.input(s.key).value =
        s.kind === 'time' ? localInput(value as string | null) : String(value ?? '');
    }
    if (p.mode !== 'hold') this.input('holdSeconds').value = '';
    this.shown();
    this.clearErrors();
  }

  /** Empty, with each choice at its default (the first). */
  reset(): void {
    for (const s of specs) this.input(s.key).value = String(s.choices?.[0]?.[0] ?? '');
    this.shown();
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
   * The fields as the API takes them, checked here first: `values` has every shown
   * field filled in (when editing, an emptied time, text or link is null, which
   * clears it; an emptied name or number is left as it is), `problems` says in words
   * what is wrong.
   */
  read(): { values: Partial<SettingValues>; problems: number } {
    this.clearErrors();
    const values: Record<string, unknown> = {};
    let problems = 0;
    const complain = (key: SettingKey, problem: string) => {
      problems++;
      this.setError(key, problem);
    };
    for (const s of specs) {
      if (!this.isShown(s)) continue;
      const text = this.input(s.key).value.trim();
      if (s.choices) {
        const value = choiceValue(s, text);
        if (value === undefined) complain(s.key, ruleOf(s));
        else values[s.key] = value;
      } else if (text === '') {
        const clears = s.kind === 'time' || s.kind === 'long' || s.kind === 'link';
        if (clears && !this.creating) values[s.key] = null;
        if ((s.required && this.creating) || s.neededWhenShown) {
          complain(s.key, s.kind === 'text' ? ruleOf(s) : `Give the ${s.label.toLowerCase()}.`);
        }
      } else if (s.kind === 'whole') {
        const n = wholeNumber(text, s.min ?? 0, s.max ?? Infinity);
        if (n === null) complain(s.key, ruleOf(s));
        else values[s.key] = n;
      } else if (s.kind === 'time') {
        const at = new Date(text);
        if (Number.isNaN(at.getTime())) complain(s.key, ruleOf(s));
        else values[s.key] = at.toISOString();
      } else if (s.kind === 'long' || s.kind === 'link') {
        const problem = pageTextProblem(s, text);
        if (problem) complain(s.key, problem);
        else values[s.key] = text;
      } else if (text.length > 200) complain(s.key, ruleOf(s));
      else values[s.key] = text;
    }
    for (const [key, problem] of Object.entries(timeOrderProblems(values))) {
      if (!this.errors.get(key as SettingKey)?.textContent) complain(key as SettingKey, problem);
    }
    if (problems > 0) this.focusFirstError();
    return { values, problems };
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
      if (code === 'PREQUEUE_OPEN') {
        // "queueing and prequeueAt cannot change: …": each named field says why.
        for (const key of ['queueing', 'prequeueAt'] as const) {
          if (part.includes(key)) this.setError(key, prequeueOpenWords);
        }
        rest.push('Not saved: the line is already open, so its order and opening time stay.');
      } else if (spec) {
        const key = spec.key;
        this.setError(
          key,
          key === 'endsAt' || key === 'prequeueAt' ? orderWords[key] : ruleOf(spec),
        );
      } else rest.push(part);
    }
    this.focusFirstError();
    return rest.length === parts.length && code !== 'PREQUEUE_OPEN' ? message : rest.join('; ');
  }

  private focusFirstError(): void {
    const first = specs.find((s) => this.errors.get(s.key)?.textContent);
    if (first) this.input(first.key).focus();
  }
}
