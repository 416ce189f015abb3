// The console's elements, found once; a page and script that disagree fail at load.
import type { StateAction } from '../../core/model/promotion';
import { $, showText } from './dom';

export const els = {
  banner: $('#banner'),
  signOut: $('#sign-out', HTMLButtonElement),
  login: $('#login', HTMLFormElement),
  token: $('#admin-token', HTMLInputElement),
  loginError: $('#login-error'),
  console: $('#console'),
  promotions: $('#promotions'),
  empty: $('#empty'),
  detail: $('#detail'),
  detailTitle: $('#detail-title'),
  detailFigures: $('#detail-figures'),
  detailMessage: $('#detail-message'),
  settings: $('#settings', HTMLFormElement),
  setStock: $('#set-stock', HTMLInputElement),
  setBatch: $('#set-batch', HTMLInputElement),
  setInterval: $('#set-interval', HTMLInputElement),
  stateButtons: {
    pause: $('#pause', HTMLButtonElement),
    resume: $('#resume', HTMLButtonElement),
    close: $('#close', HTMLButtonElement),
  } satisfies Record<StateAction, HTMLButtonElement>,
  consistency: $('#consistency'),
  check: $('#check', HTMLButtonElement),
  create: $('#create', HTMLFormElement),
  newName: $('#new-name', HTMLInputElement),
  newStock: $('#new-stock', HTMLInputElement),
  newBatch: $('#new-batch', HTMLInputElement),
  newInterval: $('#new-interval', HTMLInputElement),
  createMessage: $('#create-message'),
  deadMessage: $('#dead-message'),
  charts: {
    queue: $('#chart-queue', SVGSVGElement),
    rate: $('#chart-rate', SVGSVGElement),
    stock: $('#chart-stock', SVGSVGElement),
  },
  now: { queue: $('#now-queue'), rate: $('#now-rate'), stock: $('#now-stock') },
};

/** The connection line at the top; null hides it. */
export function banner(text: string | null): void {
  showText(els.banner, text);
}
