/**
 * @module
 * Every request gatehouse makes to another issuer (discovery, JWKS, introspection) goes through here, so
 * that none can cost unbounded time or memory: a timeout on the whole exchange, a cap on the body read,
 * no redirects followed (a redirect could lead a key fetch anywhere), and JSON or nothing.
 */
import { GatehouseError, gatehouseError } from "../../core/errors.ts";

/** What bounds one request to an issuer. */
export interface HttpLimits {
  /** The whole exchange, headers and body, in ms. */
  readonly timeoutMs: number;
  /** The most body bytes read; a longer answer is a failure. */
  readonly maxBytes: number;
  /** The fetch implementation; `globalThis.fetch` by default. */
  readonly fetch: typeof fetch;
}

/** An issuer's answer: its status and its body as JSON (`undefined` when the body is not JSON). */
export interface JsonAnswer {
  readonly status: number;
  readonly json: unknown;
}

/**
 * Request `url` and read its JSON answer within the limits. Rejects with `GH_ISSUER_FAILED` when the issuer
 * cannot be reached, is too slow or answers too much; any status resolves, for the caller to judge.
 */
export async function requestJson(url: string, init: RequestInit, limits: HttpLimits): Promise<JsonAnswer> {
  const response = await boundedFetch(limits)(url, init);
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json };
}

/**
 * `fetch` with the limits applied, answering a `Response` whose body is already read (and capped): what
 * jose's `createRemoteJWKSet` is given as its `customFetch`.
 */
export function boundedFetch(limits: HttpLimits): typeof fetch {
  return async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    const signal = AbortSignal.timeout(limits.timeoutMs);
    try {
      const response = await limits.fetch(input, { ...init, redirect: "manual", signal });
      const body = await readCapped(response, limits.maxBytes, url);
      // A 204 or 304 may carry no body, even an empty one.
      return new Response(body === "" ? null : body, { status: response.status, headers: response.headers });
    } catch (error) {
      if (isIssuerFailure(error)) throw error;
      const reason = signal.aborted ? `no answer within ${limits.timeoutMs} ms` : "unreachable";
      throw issuerFailed(`${url}: ${reason}`, error);
    }
  };
}

/** The body as text (JSON is UTF-8, RFC 8259 §8.1), or a failure once it passes `maxBytes`. */
async function readCapped(response: Response, maxBytes: number, url: string): Promise<string> {
  const declared = Number(response.headers.get("content-length"));
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw issuerFailed(`${url}: answer of ${declared} bytes, more than the ${maxBytes} allowed`);
  }
  const chunks: Uint8Array[] = [];
  let length = 0;
  if (response.body) {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      length += chunk.byteLength;
      if (length > maxBytes) {
        await response.body.cancel().catch(() => {});
        throw issuerFailed(`${url}: answer longer than the ${maxBytes} bytes allowed`);
      }
      chunks.push(chunk);
    }
  }
  return Buffer.concat(chunks, length).toString("utf8");
}

/** `GH_ISSUER_FAILED`: a request to an issuer failed; the message names the URL and why. */
export function issuerFailed(message: string, cause?: unknown): GatehouseError {
  return gatehouseError("GH_ISSUER_FAILED", `gatehouse/tokens: ${message}`, cause === undefined ? undefined : { cause });
}

/** Whether an error is an issuer's failure (as opposed to a token's). */
export function isIssuerFailure(error: unknown): error is GatehouseError {
  return error instanceof GatehouseError && error.code === "GH_ISSUER_FAILED";
}
