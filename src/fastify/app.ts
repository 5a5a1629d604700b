/**
 * @module
 * `createApp`: a FastAPI-shaped app over a Fastify instance. Declare routes on it, then `listen`.
 * The Fastify instance stays reachable as `app.fastify` for any Fastify plugin.
 */
import { gatehouseError } from "../core/errors.ts";
import { pino } from "pino";
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions, type InjectOptions, type LightMyRequestResponse } from "fastify";
import { startupTimeoutMs, type DependencyLike } from "../core/dependency.ts";
import type { CompiledRoute } from "../core/route.ts";
import { Router } from "../core/router.ts";
import type { OpenAPIDocument } from "../openapi/document.ts";
import { formatRouteTree } from "../openapi/route-tree.ts";
import { clientErrorHandler, frameworkErrorHandler, refuseWhileClosing } from "./errors.ts";
import { gatehouse, type CompiledRoutes, type GatehouseOptions } from "./plugin.ts";

/**
 * The app's options. Besides these: `openapiUrl`, and the docs pages' `docsUrl` (default `/docs`),
 * `swaggerUiOAuth2RedirectUrl` (`/docs/oauth2-redirect`), each `null` for none, `redocUrl` (none unless
 * set, and then the optional `redoc` package must be installed), and `swaggerUi` (the Authorize dialog's
 * `clientId`, `usePkceWithAuthorizationCodeGrant`, `persistAuthorization`, …).
 */
export interface AppOptions extends Omit<GatehouseOptions, "info" | "onCompiled"> {
  readonly title?: string;
  readonly version?: string;
  readonly description?: string;
  /** Dependencies every route runs first. */
  readonly dependencies?: readonly DependencyLike[];
  /**
   * Passed to Fastify. Without a `logger` here, the app logs errors through its own pino logger at
   * `$GATEHOUSE_LOG_LEVEL` (default `info`), and Fastify runs without one.
   */
  readonly fastify?: FastifyServerOptions;
}

/** The app: a {@link Router} whose routes are served by its own Fastify instance. */
export class App extends Router {
  readonly fastify: FastifyInstance;
  /** Where the app logs errors (a 500's stack, a failed cleanup); never requests, tokens or passwords. */
  readonly log: FastifyBaseLogger;
  #compiled: CompiledRoutes | undefined;

  constructor(options: AppOptions = {}) {
    super({ dependencies: [] });
    // Unless the user configures Fastify's logger, the app logs through its own pino instance and Fastify
    // runs without one: a Fastify logger costs per-request listeners even when it only ever logs errors.
    const own = options.fastify?.logger === undefined && options.fastify?.loggerInstance === undefined;
    const log = options.logger ?? (own ? pino({ level: process.env.GATEHOUSE_LOG_LEVEL ?? "info" }) : undefined);
    this.fastify = Fastify({
      logger: false,
      // Request lines would carry query strings, where API keys may travel; errors are still logged.
      logController: new LogController({ disableRequestLogging: true }),
      // With a Fastify logger, no per-request child: only errors are logged, and they name their request.
      // (Without one, any factory of ours would itself cost a call and a check per request.)
      ...(own ? {} : { childLoggerFactory: (logger: FastifyBaseLogger) => logger }),
      clientErrorHandler,
      frameworkErrors: frameworkErrorHandler,
      // Closing is answered by `refuseWhileClosing` below, in FastAPI's shape.
      return503OnClosing: false,
      // Start-up waits for the token store inside the plugin: Fastify must wait at least as long.
      pluginTimeout: Math.max(10_000, (options.startupTimeoutMs ?? startupTimeoutMs()) + 5_000),
      ...options.fastify,
    });
    // Swapping the listener costs requests nothing until close (an onRequest hook would cost each one).
    this.fastify.addHook("preClose", (done) => {
      const { server } = this.fastify;
      for (const listener of server.listeners("request")) server.off("request", listener as () => void);
      server.on("request", refuseWhileClosing);
      done();
    });
    this.log = log ?? this.fastify.log;
    const info = { title: options.title ?? "gatehouse", version: options.version ?? "0.1.0", ...(options.description ? { description: options.description } : {}) };
    this.fastify.register(gatehouse(this, { ...options, info, logger: log, onCompiled: (compiled) => (this.#compiled = compiled) }));
  }

  /** Compile every route and start the Fastify instance; throws on a misdeclared route. */
  async ready(): Promise<this> {
    await this.fastify.ready();
    return this;
  }

  /** Start serving; resolves to the address. */
  async listen(options: { host?: string; port?: number } = {}): Promise<string> {
    return this.fastify.listen({ host: options.host ?? "127.0.0.1", port: options.port ?? 8000 });
  }

  async close(): Promise<void> {
    await this.fastify.close();
  }

  /** A request without a socket, for tests (Fastify's `inject`). */
  inject(options: InjectOptions | string): Promise<LightMyRequestResponse> {
    return this.fastify.inject(options);
  }

  /** The compiled routes (after `ready()`). */
  get compiledRoutes(): readonly CompiledRoute[] {
    return this.#compiledOrThrow().routes;
  }

  /** The OpenAPI document (after `ready()`). */
  openapi(): OpenAPIDocument {
    return this.#compiledOrThrow().openapi();
  }

  /**
   * Every route's security as a tree (after `ready()`): dependencies, the scopes each use adds, the
   * `SecurityScopes` each receives and the scheme at the leaf. `npx gatehouse routes <module>` prints it.
   */
  securityTree(): string {
    return formatRouteTree(this.compiledRoutes);
  }

  #compiledOrThrow(): CompiledRoutes {
    if (!this.#compiled) throw gatehouseError("GH_NOT_READY", "gatehouse: call `await app.ready()` first");
    return this.#compiled;
  }
}

/**
 * Create an app.
 *
 * @example
 * const app = createApp({ title: "Items" });
 * app.get("/status/", () => ({ status: "ok" }));
 * await app.listen({ port: 8000 });
 */
export function createApp(options: AppOptions = {}): App {
  return new App(options);
}
