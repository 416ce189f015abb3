// Small DOM helpers shared by both pages.

/** `document.querySelector` that fails loudly when the page and the script disagree. */
export function $<E extends Element = HTMLElement>(
  selector: string,
  kind: abstract new () => E = HTMLElement as unknown as abstract new () => E,
): E {
  const found = document.querySelector(selector);
  if (!(found instanceof kind)) throw new Error(`Missing ${kind.name} ${selector}`);
  return found;
}

/** A message line (e.g. a page's banner): shows `text`, or hides the line when null. */
export function showText(el: HTMLElement, text: string | null): void {
  el.textContent = text ?? '';
  el.hidden = text === null;
}

export function cell(text: string, className = ''): HTMLTableCellElement {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

/** A secondary button in a table cell, e.g. a row's action. */
export function actionCell(
  label: string,
  ariaLabel: string,
  onClick: () => void,
): HTMLTableCellElement {
  const td = document.createElement('td');
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'secondary';
  button.textContent = label;
  button.setAttribute('aria-label', ariaLabel);
  button.addEventListener('click', onClick);
  td.append(button);
  return td;
}
