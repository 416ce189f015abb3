// One reading of a timestamp column for every dialect.

/** MySQL gives Dates, SQLite gives epoch numbers: one reading for both. */
export function toDate(value: Date | string | number): Date {
  return value instanceof Date ? value : new Date(value);
}
