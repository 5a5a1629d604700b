/**
 * @module
 * Dependencies, FastAPI's `Depends` and `Security`, written as values: `dependency(needs, fn)` declares
 * what a function needs; `depends(dep)` and `security(dep, scopes)` are uses of it.
 */
import { gatehouseError } from "./errors.ts";
import type { Refusal } from "./refusal.ts";
import type { Awaitable, Injectable, Needs, NeedsInput, NeedsScopes, Resolved, ScopeName, ScopesOf, ValueOf } from "./types.ts";

/**
 * How long start-up waits for a dependency's `ready` by default, ms: under Fastify's 10 s `pluginTimeout`,
 * long enough for a store that is starting alongside the app.
 */
export const READY_TIMEOUT_MS = 5000;

/**
 * The start-up wait an app uses when it names none: `$GATEHOUSE_STARTUP_TIMEOUT_MS` (a deployment whose
 * store holds millions of revocations, or starts slowly, sets it), else {@link READY_TIMEOUT_MS}.
 */
export function startupTimeoutMs(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const configured = Number(env.GATEHOUSE_STARTUP_TIMEOUT_MS);
  return Number.isFinite(configured) && configured > 0 ? configured : READY_TIMEOUT_MS;
}

export interface DependencyOptions {
  /** Shown in the route tree and in errors; defaults to the function's name. */
  readonly name?: string;
  /**
   * What must be reachable before the app serves a route that uses this dependency (the token store, for
   * `bearerPrincipal` and `tokenRouter`): awaited once at start-up (`app.ready()`, `listen()`) with the
   * app's `startupTimeoutMs`. A rejection fails start-up, unless the app is told to `startDegraded`.
   */
  readonly ready?: (timeoutMs: number) => Promise<unknown>;
}

/**
 * A function and what it needs. Create one with {@link dependency}; security schemes are dependencies too.
 * `T` is its (awaited) result, `S` the OAuth2 scope names declared by the schemes in its tree.
 */
export class Dependency<T, S extends string = never> implements Injectable<T, S> {
  declare readonly "~types": { readonly value: T; readonly scopes: S };
  readonly kind = "dependency" as const;
  readonly name: string;
  readonly ready: ((timeoutMs: number) => Promise<unknown>) | undefined;

  constructor(
    /** What the function receives, or a thunk returning it (resolved once, at start-up). */
    readonly needs: NeedsInput<Needs>,
    /** Called with the resolved `needs`; may return a promise. */
    readonly call: (args: Record<string, unknown>) => unknown,
    options: DependencyOptions = {},
  ) {
    this.name = options.name || call.name || "anonymous";
    this.ready = options.ready;
  }
}

/**
 * Declare a dependency: what it needs and the function that turns those into its result. Returning a
 * {@link Refusal} answers the request with it (nothing after it runs), so it is not part of the result type.
 *
 * @example
 * const getCurrentUser = dependency(
 *   { securityScopes: SecurityScopes, token: oauth2Scheme },
 *   async function getCurrentUser({ securityScopes, token }) { … return user; },
 * );
 */
export function dependency<const N extends Needs, R>(
  needs: NeedsInput<N>,
  fn: (args: Resolved<N>) => Awaitable<R>,
  options?: DependencyOptions,
): Dependency<Exclude<Awaited<R>, Refusal>, NeedsScopes<N>>;
export function dependency<R>(fn: () => Awaitable<R>, options?: DependencyOptions): Dependency<Exclude<Awaited<R>, Refusal>, never>;
export function dependency(
  needsOrFn: NeedsInput<Needs> | (() => unknown),
  fnOrOptions?: ((args: never) => unknown) | DependencyOptions,
  options?: DependencyOptions,
): Dependency<unknown, string> {
  if (typeof fnOrOptions === "function") {
    return new Dependency(needsOrFn as NeedsInput<Needs>, fnOrOptions as (args: Record<string, unknown>) => unknown, options);
  }
  if (typeof needsOrFn !== "function") throw gatehouseError("GH_INVALID_OPTION", "gatehouse: dependency(needs, fn) needs a function");
  return new Dependency({}, needsOrFn as () => unknown, fnOrOptions);
}

export interface UseOptions {
  /** `false` runs the dependency again for this use instead of reusing the request's cached result. */
  readonly useCache?: boolean;
}

/** One use of a dependency in a tree: FastAPI's `Depends(dep)` or `Security(dep, scopes)`. */
export class Use<T, S extends string = never> implements Injectable<T, S> {
  declare readonly "~types": { readonly value: T; readonly scopes: S };
  readonly kind = "use" as const;

  constructor(
    readonly dependency: Dependency<unknown, string>,
    readonly scopes: readonly string[],
    readonly useCache: boolean,
  ) {}
}

/** Anything that can stand in a `dependencies: [...]` list. */
export type DependencyLike = Dependency<unknown, string> | Use<unknown, string>;

/** A dependency listed bare is used as `depends(dep)`; `undefined` for anything that is not a dependency. */
export function asUse(item: unknown): Use<unknown, string> | undefined {
  if (item instanceof Use) return item;
  if (item instanceof Dependency) return new Use(item, [], true);
  return undefined;
}

/**
 * Use a dependency (FastAPI's `Depends`). Listing the dependency itself in `needs` does the same.
 *
 * @example
 * app.get("/users/me/", { needs: { user: depends(getCurrentActiveUser) } }, ({ user }) => user);
 */
export function depends<D extends Dependency<unknown, string>>(dep: D, options: UseOptions = {}): Use<ValueOf<D>, ScopesOf<D>> {
  return new Use(dep, [], options.useCache ?? true);
}

/**
 * Use a dependency and require OAuth2 `scopes` of it (FastAPI's `Security`). Dependencies below it that
 * ask for `SecurityScopes` see these scopes, after those of every use above them.
 *
 * @example
 * app.get("/users/me/items/", { needs: { user: security(getCurrentActiveUser, ["items"]) } }, handler);
 */
export function security<D extends Dependency<unknown, string>>(
  dep: D,
  scopes: readonly ScopeName<D>[] = [],
  options: UseOptions = {},
): Use<ValueOf<D>, ScopesOf<D>> {
  return new Use(dep, Object.freeze([...scopes]), options.useCache ?? true);
}
