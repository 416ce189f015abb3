// @ts-check
// Settings from `k6 run -e NAME=value` (or the environment), with defaults for a
// local server. Plain ES2017 so that any k6 release runs it.

/**
 * @param {string} name
 * @param {string} fallback
 * @returns {string}
 */
export function envString(name, fallback) {
  const value = __ENV[name];
  return value === undefined || value === '' ? fallback : value;
}

/**
 * @param {string} name
 * @param {number} fallback
 * @returns {number}
 */
export function envNumber(name, fallback) {
  const raw = envString(name, String(fallback));
  const value = Number(raw);
  if (!isFinite(value)) throw new Error(name + ' must be a number, got "' + raw + '"');
  return value;
}

/** The deployment under test, without a trailing slash. */
export const BASE_URL = envString('BASE_URL', 'http://127.0.0.1:3000').replace(/\/+$/, '');

/** Bearer token of the admin endpoints (init-stock, info); setup needs it. */
export const ADMIN_TOKEN = envString('ADMIN_TOKEN', '');
