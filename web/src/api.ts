// The server's JSON envelope `{ success, message, code?, data }`, fetched from the
// page's own origin. A network failure is told apart from a refusal.

export interface Envelope<T> {
  success: boolean;
  message: string;
  code?: string;
  data: T;
}

export type ApiResult<T> =
  | { kind: 'ok'; status: number; message: string; data: T }
  | { kind: 'refused'; status: number; message: string; code: string; data: unknown }
  | { kind: 'unreachable'; message: string };

export async function callApi<T>(
  method: string,
  path: string,
  { body, token }: { body?: unknown; token?: string } = {},
): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
    });
  } catch {
    return { kind: 'unreachable', message: 'The server cannot be reached. Retrying…' };
  }
  let envelope: Envelope<T> | undefined;
  try {
    envelope = (await res.json()) as Envelope<T>;
  } catch {
    envelope = undefined;
  }
  if (!envelope) {
    // A proxy's HTML error page, or a server gone mid-answer.
    return res.status >= 500
      ? { kind: 'unreachable', message: `The server answered ${res.status}. Retrying…` }
      : { kind: 'refused', status: res.status, message: res.statusText, code: 'HTTP', data: null };
  }
  if (res.ok && envelope.success) {
    return { kind: 'ok', status: res.status, message: envelope.message, data: envelope.data };
  }
  if (res.status === 503 || res.status === 502 || res.status === 504) {
    return { kind: 'unreachable', message: `${envelope.message} Retrying…` };
  }
  return {
    kind: 'refused',
    status: res.status,
    message: envelope.message,
    code: envelope.code ?? 'HTTP',
    data: envelope.data,
  };
}
