// The console's elements, found once; a page and script that disagree fail at load.
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
  created: $('#created'),
  createdTitle: $('#created-title'),
  detail: $('#detail'),
  detailTitle: $('#detail-title'),
  detailState: $('#detail-state'),
  detailMeaning: $('#detail-meaning'),
  detailFigures: $('#detail-figures'),
  detailMessage: $('#detail-message'),
  settings: $('#settings', HTMLFormElement),
  settingsFields: $('#settings-fields'),
  settingsMessage: $('#settings-message'),
  pause: $('#pause', HTMLButtonElement),
  resume: $('#resume', HTMLButtonElement),
  close: $('#close', HTMLButtonElement),
  closeDialog: $('#close-dialog', HTMLDialogElement),
  closeWhat: $('#close-what'),
  consistency: $('#consistency'),
  check: $('#check', HTMLButtonElement),
  create: $('#create', HTMLFormElement),
  createFields: $('#create-fields'),
  createMessage: $('#create-message'),
  deadMessage: $('#dead-message'),
  ledger: {
    panel: $('#ledger'),
    title: $('#ledger-title'),
    counts: $('#ledger-counts'),
    filter: $('#ledger-filter', HTMLFormElement),
    state: $('#ledger-state', HTMLSelectElement),
    user: $('#ledger-user', HTMLInputElement),
    exportCsv: $('#ledger-export', HTMLButtonElement),
    rows: $('#ledger-rows'),
    shown: $('#ledger-shown'),
    more: $('#ledger-more', HTMLButtonElement),
    message: $('#ledger-message'),
  },
  charts: { rate: $('#chart-rate'), queue: $('#chart-queue'), stock: $('#chart-stock') },
  now: { queue: $('#now-queue'), rate: $('#now-rate'), stock: $('#now-stock') },
  waitsSummary: $('#waits-summary'),
  waitsRows: $('#waits-rows'),
  waitsLeft: $('#waits-left'),
};

/** The connection line at the top; null hides it. */
export function banner(text: string | null): void {
  showText(els.banner, text);
}
