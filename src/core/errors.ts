/**
 * @module
 * The two kinds of error gatehouse knows, both built from the one catalog (`catalog.ts`) by
 * {@link gatehouseError}. A request failure is an {@link HTTPException}: it carries the status, the public
 * `detail` (sent as FastAPI's `{"detail": …}`), headers such as `WWW-Authenticate`, a private `cause` for
 * logs, its `GH_…` code and, where OAuth defines one, its RFC `error` code. Misconfiguration is a
 * {@link ConfigurationError} (a `TypeError`) thrown once, at start-up; misuse and store failures are a
 * {@link GatehouseError}.
 */
import { STATUS_CODES } from "node:http";
import { ERROR_CATALOG, isHttpErrorCode, type ErrorCode, type HttpErrorCode, type HttpErrorSpec, type OAuthErrorCode, type ProgramErrorCode } from "./catalog.ts";

/** Headers an error adds to its response, e.g. `{ "WWW-Authenticate": "Bearer" }`. */
export type HeaderMap = Readonly<Record<string, string>>;

/**
 * Throw from a dependency or handler to answer with `status` and `{"detail": detail}`.
 *
 * @example
 * throw new HTTPException(401, "Could not validate credentials", { "WWW-Authenticate": "Bearer" });
 */
export class HTTPException extends Error {
  readonly status: number;
  readonly detail: unknown;
  readonly headers: HeaderMap | undefined;
  /** Whether `detail` may be shown to the client; 5xx details stay in the log. */
  readonly expose: boolean;
  /** The catalog code, for errors gatehouse raises; `undefined` for the app's own. */
  readonly code: HttpErrorCode | undefined;
  /** The RFC 6749 / 6750 `error` code, where OAuth defines one. */
  readonly oauthError: OAuthErrorCode | undefined;

  constructor(status: number, detail?: unknown, headers?: HeaderMap, options?: { cause?: unknown; code?: HttpErrorCode }) {
    const text = detail ?? STATUS_CODES[status] ?? "Error";
    // A 4xx is an answer, not a bug: nobody reads its stack, and capturing one costs more than the rest
    // of a request (FastAPI's seed builds a 401 on every call). 5xx keep theirs for the log.
    const limit = Error.stackTraceLimit;
    if (status < 500) Error.stackTraceLimit = 0;
    super(typeof text === "string" ? text : JSON.stringify(text), options?.cause === undefined ? undefined : { cause: options.cause });
    Error.stackTraceLimit = limit;
    this.name = "HTTPException";
    this.status = status;
    this.detail = text;
    this.headers = headers;
    this.expose = status < 500;
    this.code = options?.code;
    const spec: HttpErrorSpec | undefined = options?.code === undefined ? undefined : ERROR_CATALOG[options.code];
    this.oauthError = spec?.oauth;
  }
}

/**
 * A security scheme found no credential at all (FastAPI's "Not authenticated"). Distinct from a credential
 * that is present but wrong, so that `anyOf` and `optional` can tell "absent" from "refused".
 */
export class NotAuthenticatedError extends HTTPException {
  constructor(challenge: string) {
    super(401, ERROR_CATALOG.GH_NOT_AUTHENTICATED.detail, { "WWW-Authenticate": challenge }, { code: "GH_NOT_AUTHENTICATED" });
    this.name = "NotAuthenticatedError";
  }
}

/** One entry of a 422 body, in FastAPI's (pydantic 2's) shape. */
export interface ValidationIssue {
  type: string;
  loc: (string | number)[];
  msg: string;
  input: unknown;
  ctx?: Record<string, unknown>;
}

/** The 422 FastAPI sends when request parameters fail validation: `{"detail": [issue, …]}`. */
export class RequestValidationError extends HTTPException {
  declare readonly detail: ValidationIssue[];

  constructor(issues: ValidationIssue[]) {
    super(422, issues, undefined, { code: "GH_REQUEST_VALIDATION" });
    this.name = "RequestValidationError";
  }
}

/** The response value failed the route's response schema: a server bug, so a 500 with details only in the log. */
export class ResponseValidationError extends HTTPException {
  constructor(readonly issues: ValidationIssue[]) {
    super(500, ERROR_CATALOG.GH_RESPONSE_VALIDATION.detail, undefined, { cause: issues, code: "GH_RESPONSE_VALIDATION" });
    this.name = "ResponseValidationError";
  }
}

/** A misconfiguration, thrown once at start-up; `code` says which kind, the message names the option. */
export class ConfigurationError extends TypeError {
  constructor(
    readonly code: ProgramErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "ConfigurationError";
  }
}

/** A call made out of order, or a store failure: never sent to a client as it is. */
export class GatehouseError extends Error {
  constructor(
    readonly code: ProgramErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "GatehouseError";
  }
}

/** The body an HTTP exception is answered with: FastAPI's `{"detail": …}`. */
export function errorBody(error: HTTPException): { readonly detail: unknown } {
  return { detail: error.detail };
}

/** What a request error may say instead of the catalog's defaults. */
export interface HttpErrorOptions {
  /** The status, for a code that reports another's (`GH_CLIENT_ERROR`: Fastify's or Node's); default the catalog's. */
  readonly status?: number;
  /** The public `detail`; default the catalog's. */
  readonly detail?: unknown;
  /** The response's headers; default the catalog's (a challenge, a `Retry-After`). */
  readonly headers?: HeaderMap;
  /** Logged, never sent. */
  readonly cause?: unknown;
}

/**
 * The one factory of gatehouse's errors: a request error ({@link HTTPException}) for the catalog's HTTP
 * codes, a {@link ConfigurationError} for start-up codes, a {@link GatehouseError} for the others.
 *
 * @example
 * throw gatehouseError("GH_INVALID_TOKEN");
 * throw gatehouseError("GH_INVALID_OPTION", "gatehouse: HTTPBasic: `realm` must be a string");
 */
export function gatehouseError(code: HttpErrorCode, options?: HttpErrorOptions): HTTPException;
export function gatehouseError<C extends ProgramErrorCode>(code: C, message: string, options?: { cause?: unknown }): ProgramError<C>;
export function gatehouseError(code: ErrorCode, messageOrOptions?: string | HttpErrorOptions, options?: { cause?: unknown }): Error {
  if (isHttpErrorCode(code)) {
    const spec: HttpErrorSpec = ERROR_CATALOG[code];
    const given = (messageOrOptions ?? {}) as HttpErrorOptions;
    return new HTTPException(given.status ?? spec.status, given.detail ?? spec.detail, given.headers ?? spec.headers, { cause: given.cause, code });
  }
  const message = messageOrOptions as string;
  return ERROR_CATALOG[code].raised === "startup" ? new ConfigurationError(code, message, options) : new GatehouseError(code, message, options);
}

/** The class a program error code is thrown as. */
export type ProgramError<C extends ProgramErrorCode> = (typeof ERROR_CATALOG)[C] extends { raised: "startup" } ? ConfigurationError : GatehouseError;
