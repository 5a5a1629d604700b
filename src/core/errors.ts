/**
 * @module
 * The two kinds of error gatehouse knows. A request failure is an {@link HTTPException}: it carries the
 * status, the public `detail` (sent as FastAPI's `{"detail": …}`), headers such as `WWW-Authenticate`, and
 * a private `cause` for logs. Misconfiguration is a `TypeError` thrown once, at start-up.
 */
import { STATUS_CODES } from "node:http";

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

  constructor(status: number, detail?: unknown, headers?: HeaderMap, options?: { cause?: unknown }) {
    const text = detail ?? STATUS_CODES[status] ?? "Error";
    // A 4xx is an answer, not a bug: nobody reads its stack, and capturing one costs more than the rest
    // of a request (FastAPI's seed builds a 401 on every call). 5xx keep theirs for the log.
    const limit = Error.stackTraceLimit;
    if (status < 500) Error.stackTraceLimit = 0;
    super(typeof text === "string" ? text : JSON.stringify(text), options);
    Error.stackTraceLimit = limit;
    this.name = "HTTPException";
    this.status = status;
    this.detail = text;
    this.headers = headers;
    this.expose = status < 500;
  }
}

/**
 * A security scheme found no credential at all (FastAPI's "Not authenticated"). Distinct from a credential
 * that is present but wrong, so that `anyOf` and `optional` can tell "absent" from "refused".
 */
export class NotAuthenticatedError extends HTTPException {
  constructor(challenge: string) {
    super(401, "Not authenticated", { "WWW-Authenticate": challenge });
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
    super(422, issues);
    this.name = "RequestValidationError";
  }
}

/** The response value failed the route's response schema: a server bug, so a 500 with details only in the log. */
export class ResponseValidationError extends HTTPException {
  constructor(readonly issues: ValidationIssue[]) {
    super(500, "Internal Server Error", undefined, { cause: issues });
    this.name = "ResponseValidationError";
  }
}
