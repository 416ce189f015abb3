// The JSON body parser. Nearly every body the waiting room gets is a small,
// plain `application/json` one with a Content-Length (a join): that case is
// read here directly, without body-parser's per-request machinery, which was
// a tenth of a join's CPU. Anything else (another charset, a compressed or
// chunked body, a body over the limit) goes to express.json, so errors and
// edge cases keep its answers exactly.
import express, { type RequestHandler } from 'express';

/** A body-parser-style client error: the error handler answers it with its status. */
function clientError(status: number, message: string, type: string): Error {
  return Object.assign(new Error(message), { status, type, expose: true });
}

/** `application/json`, alone or with a UTF-8 charset (what every client sends). */
const plainJson = /^application\/json\s*(?:;\s*charset=(?:"?utf-8"?)\s*)?$/i;

export function jsonBody(limit: number): RequestHandler {
  const general: RequestHandler = express.json({ limit });
  return (req, res, next) => {
    const type = req.headers['content-type'];
    const length = Number(req.headers['content-length']);
    const simple =
      type !== undefined &&
      plainJson.test(type) &&
      req.headers['content-encoding'] === undefined &&
      Number.isInteger(length) &&
      length > 0 &&
      length <= limit;
    if (!simple) {
      general(req, res, next);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('error', next);
    req.once('end', () => {
      // Decoded as body-parser does (iconv-lite): a leading byte-order mark is dropped.
      const text = Buffer.concat(chunks)
        .toString('utf8')
        .replace(/^\uFEFF/, '');
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        next(clientError(400, 'the body is not valid JSON', 'entity.parse.failed'));
        return;
      }
      // body-parser's strict mode: only an object or an array is a JSON body.
      if (typeof body !== 'object' || body === null) {
        next(clientError(400, 'the body is not valid JSON', 'entity.parse.failed'));
        return;
      }
      req.body = body;
      next();
    });
  };
}
