import { request as httpsRequest } from 'node:https';

/** One HTTP request of a webhook delivery. */
export interface WebhookRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
  /** `false`: an https certificate is not verified (uses `node:https`, since `fetch` cannot skip verification). */
  verifySsl: boolean;
}

/** The part of a response a delivery needs: the status and the start of the body, for the reason. */
export interface WebhookResponse {
  status: number;
  statusText: string;
  /** At most {@link MAX_RESPONSE_TEXT} bytes of the body, decoded as UTF-8. */
  text: string;
}

/** Bytes of a response body kept for a failure reason; the rest is not read. */
export const MAX_RESPONSE_TEXT = 1024;

async function readStart(body: ReadableStream<Uint8Array> | null): Promise<string> {
  if (body === null) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < MAX_RESPONSE_TEXT) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, MAX_RESPONSE_TEXT).toString('utf8');
}

function sendInsecure(req: WebhookRequest, signal: AbortSignal): Promise<WebhookResponse> {
  return new Promise((resolve, reject) => {
    const r = httpsRequest(req.url, { method: req.method, headers: req.headers, rejectUnauthorized: false, signal }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = (): void => {
        resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', text: Buffer.concat(chunks).subarray(0, MAX_RESPONSE_TEXT).toString('utf8') });
      };
      res.on('data', (chunk: Buffer) => {
        if (size >= MAX_RESPONSE_TEXT) return;
        chunks.push(chunk);
        size += chunk.byteLength;
      });
      res.on('end', finish);
      res.on('error', reject);
    });
    r.on('error', reject);
    r.end(req.body);
  });
}

/**
 * Sends one request and resolves with the response, whatever its status; rejects on a network error or when
 * `signal` aborts. Uses `fetchImpl` unless certificate verification is off for an https url.
 */
export async function sendRequest(req: WebhookRequest, signal: AbortSignal, fetchImpl: typeof fetch = fetch): Promise<WebhookResponse> {
  if (!req.verifySsl && req.url.startsWith('https:')) return sendInsecure(req, signal);
  const res = await fetchImpl(req.url, { method: req.method, headers: req.headers, body: req.body, signal });
  return { status: res.status, statusText: res.statusText, text: await readStart(res.body) };
}
