/**
 * @module
 * How a route's errors are answered, in one place. `fastapi` (every API route): the status, the headers and
 * FastAPI's `{"detail": …}`. `oauth` (the token, revocation and introspection endpoints): RFC 6749 §5.2's
 * `{"error", "error_description"}`, the `error` read off the catalog (`HTTPException.oauthError`), so that a
 * standard OAuth client understands every refusal.
 */
import { STATUS_CODES } from "node:http";
import type { OAuthErrorCode } from "./catalog.ts";
import { errorBody, RequestValidationError, type HeaderMap, type HTTPException } from "./errors.ts";

/** `fastapi`: `{"detail": …}`; `oauth`: RFC 6749 §5.2 `{"error", "error_description"}`. */
export type ErrorStyle = "fastapi" | "oauth";

/** What is sent for an error. */
export interface ErrorResponse {
  readonly status: number;
  readonly headers: HeaderMap;
  readonly body: object;
}

/** The RFC 6749 §5.2 body of an error: its catalog `error` code, or the one its status implies. */
export interface OAuthErrorBody {
  readonly error: OAuthErrorCode;
  readonly error_description?: string;
}

/** The answer to `error` in `style`. */
export function errorResponse(error: HTTPException, style: ErrorStyle): ErrorResponse {
  if (style === "fastapi") return { status: error.status, headers: error.headers ?? {}, body: errorBody(error) };
  // RFC 6749 §5.2: 400 unless the spec says otherwise (401 invalid_client); a 422 is a malformed request.
  const status = error.status === 422 ? 400 : error.status;
  // RFC 6749 §5.1/§5.2: token endpoint answers are never cached, errors included.
  return { status, headers: { ...error.headers, "Cache-Control": "no-store", Pragma: "no-cache" }, body: oauthErrorBody(error) };
}

/** RFC 6749 §5.2's body for `error`; a 5xx says no more than its status. */
export function oauthErrorBody(error: HTTPException): OAuthErrorBody {
  const code = error.oauthError ?? fallbackCode(error.status);
  const description = error.expose ? describe(error) : STATUS_CODES[error.status];
  return description ? { error: code, error_description: description } : { error: code };
}

function fallbackCode(status: number): OAuthErrorCode {
  if (status === 401) return "invalid_client";
  if (status === 503 || status === 429) return "temporarily_unavailable";
  return status >= 500 ? "server_error" : "invalid_request";
}

function describe(error: HTTPException): string {
  const text =
    error instanceof RequestValidationError
      ? error.detail.map((issue) => `${issue.loc.slice(1).join(".") || issue.loc.join(".")}: ${issue.msg}`).join("; ")
      : typeof error.detail === "string"
        ? error.detail
        : error.message;
  // RFC 6749 §5.2: error_description is %x20-21 / %x23-5B / %x5D-7E (no quote, no backslash, ASCII only).
  return text.replace(/[^\x20\x21\x23-\x5B\x5D-\x7E]/g, "?");
}
