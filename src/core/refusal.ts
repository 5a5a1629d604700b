/**
 * @module
 * An answer decided before the handler, returned as a value instead of thrown. A security scheme that finds
 * no credential returns its {@link Refusal}; any dependency may return one. The plan stops at the first
 * refusal a step yields and the engine sends it as it is: status, headers and a body serialised once, when
 * the refusal was made. The common unauthenticated request so costs no exception and no serialisation.
 */
import { errorBody, type HeaderMap, type HTTPException } from "./errors.ts";

/** The JSON media type Fastify's own serializer sets, so a refusal reads like any other error. */
const JSON_TYPE = "application/json; charset=utf-8";

/** A request refused with `error`, prepared once and sent as often as needed. */
export class Refusal {
  // Nominal: no object literal is taken for a refusal.
  readonly #refusal = true;
  readonly status: number;
  /** The error's headers, with a JSON `content-type` unless it set one of its own. */
  readonly headers: HeaderMap;
  /** The error's body (`{"detail": …}`), serialised. */
  readonly body: string;

  constructor(readonly error: HTTPException) {
    const headers = error.headers ?? {};
    const typed = Object.keys(headers).some((name) => name.toLowerCase() === "content-type");
    this.status = error.status;
    this.headers = Object.freeze(typed ? { ...headers } : { ...headers, "content-type": JSON_TYPE });
    this.body = JSON.stringify(errorBody(error));
    Object.freeze(this);
  }
}

/** Whether a step's value is a refusal (the plan stops there). */
export function isRefusal(value: unknown): value is Refusal {
  return value instanceof Refusal;
}
