/**
 * @module
 * Routes declared FastAPI's way, independent of any HTTP engine: `router.get(path, config, handler)`,
 * routers with a prefix and dependencies of their own, and `include` to nest them.
 */
import { gatehouseError } from "./errors.ts";
import type { z } from "zod";
import type { DependencyLike } from "./dependency.ts";
import type { ErrorStyle } from "./error-style.ts";
import type { Awaitable, Needs, NeedsInput, Resolved } from "./types.ts";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS";

/** An extra documented response, FastAPI's `responses={404: {...}}`. */
export interface ResponseDoc {
  readonly description: string;
  readonly schema?: z.ZodType;
}

/** What a route declares besides its path and handler. */
export interface RouteConfig<N extends Needs = Needs, RS extends z.ZodType | undefined = z.ZodType | undefined> {
  /** What the handler receives: dependencies, `security()` uses, parameters, markers. */
  readonly needs?: NeedsInput<N>;
  /** Dependencies that run for their effect (a check), their result unused. */
  readonly dependencies?: readonly DependencyLike[];
  /** FastAPI's `response_model`: validates the result and drops every field it does not name. */
  readonly response?: RS;
  /** Status of a successful response (default 200). */
  readonly status?: number;
  readonly summary?: string;
  readonly description?: string;
  readonly tags?: readonly string[];
  readonly operationId?: string;
  readonly deprecated?: boolean;
  readonly responses?: Readonly<Record<number, ResponseDoc>>;
  /** `false` leaves the route out of the OpenAPI document. */
  readonly includeInSchema?: boolean;
  /** The operation's name for `operationId` and `summary`; defaults to the handler's function name. */
  readonly name?: string;
  /**
   * A public route: inherited app- and router-level dependencies that involve a security scheme do not
   * run, and the document says `security: []`. Set it with {@link publicRoute}.
   */
  readonly public?: boolean;
  /** How errors are answered: FastAPI's `{"detail": …}` (default) or RFC 6749 §5.2's `{"error", …}` (`error-style.ts`). */
  readonly errorStyle?: ErrorStyle;
}

/**
 * Mark a route public under app- or router-level security.
 *
 * @example
 * app.get("/health", publicRoute({ summary: "Liveness" }), () => ({ ok: true }));
 */
export function publicRoute<const C extends RouteConfig<Needs, z.ZodType | undefined> = {}>(config?: C): C & { readonly public: true } {
  return { ...(config as C), public: true };
}

/** What a handler may return: anything, or what the response schema accepts. */
export type HandlerResult<RS> = RS extends z.ZodType ? z.input<RS> : unknown;

export type Handler<N extends Needs, RS> = (args: Resolved<N>) => Awaitable<HandlerResult<RS>>;

/** A route as registered: path with every prefix applied, dependencies with every router's applied. */
export interface RouteDefinition {
  readonly method: HttpMethod;
  readonly path: string;
  readonly config: RouteConfig;
  readonly handler: (args: Record<string, unknown>) => unknown;
  /** Router-level dependencies, outermost first, then the route's own. */
  readonly dependencies: readonly DependencyLike[];
  readonly tags: readonly string[];
}

export interface RouterOptions {
  readonly prefix?: string;
  readonly dependencies?: readonly DependencyLike[];
  readonly tags?: readonly string[];
}

type RouteMethod<Self> = {
  <const N extends Needs = {}, RS extends z.ZodType | undefined = undefined>(
    path: string,
    config: RouteConfig<N, RS>,
    handler: Handler<N, RS>,
  ): Self;
  (path: string, handler: () => unknown): Self;
};

/**
 * A group of routes, FastAPI's `APIRouter`.
 *
 * @example
 * const users = new Router({ prefix: "/users", dependencies: [security(getCurrentUser, ["me"])] });
 * users.get("/me/", { needs: { user: getCurrentActiveUser } }, ({ user }) => user);
 * app.include(users);
 */
export class Router {
  readonly prefix: string;
  readonly dependencies: readonly DependencyLike[];
  readonly tags: readonly string[];
  protected readonly definitions: RouteDefinition[] = [];
  /** Why routes may no longer be added, once something has read them for good. */
  #sealed: string | undefined;

  constructor(options: RouterOptions = {}) {
    this.prefix = options.prefix ?? "";
    if (this.prefix && (!this.prefix.startsWith("/") || this.prefix.endsWith("/"))) {
      throw gatehouseError("GH_INVALID_ROUTE", `gatehouse: Router prefix must start with "/" and not end with "/": ${this.prefix}`);
    }
    this.dependencies = options.dependencies ?? [];
    this.tags = options.tags ?? [];
  }

  get: RouteMethod<this> = (path: string, a: unknown, b?: unknown) => this.add("GET", path, a, b);
  post: RouteMethod<this> = (path: string, a: unknown, b?: unknown) => this.add("POST", path, a, b);
  put: RouteMethod<this> = (path: string, a: unknown, b?: unknown) => this.add("PUT", path, a, b);
  patch: RouteMethod<this> = (path: string, a: unknown, b?: unknown) => this.add("PATCH", path, a, b);
  delete: RouteMethod<this> = (path: string, a: unknown, b?: unknown) => this.add("DELETE", path, a, b);

  /**
   * Add every route of `router` (FastAPI's `include_router`), under its prefix and dependencies. The routes
   * are copied: `router` refuses new ones from now on, since they would never be served.
   */
  include(router: Router, options: RouterOptions = {}): this {
    router.seal("this router was included into another, which copied its routes: add routes before include()");
    const outer = new Router(options);
    for (const route of router.routes()) {
      this.register({
        ...route,
        path: outer.prefix + route.path,
        dependencies: [...outer.dependencies, ...route.dependencies],
        tags: [...outer.tags, ...route.tags],
      });
    }
    return this;
  }

  /** The routes, with this router's prefix, dependencies and tags applied. */
  routes(): RouteDefinition[] {
    return this.definitions.map((route) => ({
      ...route,
      path: this.prefix + route.path,
      dependencies: [...this.dependencies, ...route.dependencies],
      tags: [...this.tags, ...route.tags],
    }));
  }

  /** @internal Refuse routes from now on (the engine has read them); `why` ends the error's message. */
  seal(why: string): void {
    this.#sealed ??= why;
  }

  protected register(route: RouteDefinition): void {
    if (this.#sealed) throw gatehouseError("GH_ROUTE_AFTER_START", `gatehouse: ${route.method} ${route.path}: ${this.#sealed}`);
    this.definitions.push(route);
  }

  private add(method: HttpMethod, path: string, a: unknown, b: unknown): this {
    const [config, handler] = typeof a === "function" ? [{}, a] : [a as RouteConfig, b];
    if (typeof handler !== "function") throw gatehouseError("GH_INVALID_ROUTE", `gatehouse: ${method} ${path}: the handler must be a function`);
    if (!path.startsWith("/")) throw gatehouseError("GH_INVALID_ROUTE", `gatehouse: ${method} ${path}: a path must start with "/"`);
    this.register({
      method,
      path,
      config,
      handler: handler as RouteDefinition["handler"],
      dependencies: config.dependencies ?? [],
      tags: config.tags ?? [],
    });
    return this;
  }
}
