/**
 * @module
 * Things a dependency can ask for that are not other dependencies: the request itself, the response's
 * status and headers, and a way to register cleanup.
 */
import type { RequestView } from "./request.ts";
import type { Injectable } from "./types.ts";

/** A placeholder in `needs` that the engine fills in per request. */
export interface Marker<T, K extends string = string> extends Injectable<T, never> {
  readonly kind: K;
}

function marker<T, K extends string>(kind: K): Marker<T, K> {
  // The phantom "~types" exists only for the compiler.
  return Object.freeze({ kind }) as Marker<T, K>;
}

/** The request, as the engine-neutral {@link RequestView}. */
export const HttpRequest = marker<RequestView, "request">("request");

/** What a handler may set on its response besides the body. */
export interface ResponseView {
  /** Overrides the route's status code. */
  status?: number;
  readonly headers: Record<string, string>;
}

/** The response's status and headers, for handlers that set a cookie or a `Cache-Control`. */
export const HttpResponse = marker<ResponseView, "response">("response");

/** Registers a cleanup function; it runs after the response is sent, in reverse order, also after a failure. */
export type RegisterCleanup = (cleanup: () => unknown) => void;

/**
 * FastAPI's dependencies with `yield`: ask for `Cleanup` and register what to undo.
 *
 * @example
 * const getDb = dependency({ onCleanup: Cleanup }, ({ onCleanup }) => { const db = open(); onCleanup(() => db.close()); return db; });
 */
export const Cleanup = marker<RegisterCleanup, "cleanup">("cleanup");
