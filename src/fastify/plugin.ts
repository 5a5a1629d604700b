/**
 * @module
 * gatehouse as a Fastify plugin: compiles a router's routes at boot and registers them, with the body
 * parsers, error handling and `/openapi.json` they need, all inside the plugin's own encapsulated scope
 * so that the host app's other routes are untouched.
 */
import type { FastifyBaseLogger, FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { RequestContext } from "../core/context.ts";
import { startupTimeoutMs, type DependencyLike } from "../core/dependency.ts";
import { compileRoute, type CompiledRoute } from "../core/route.ts";
import type { Router } from "../core/router.ts";
import { isThenable, solve } from "../core/solve.ts";
import { walk } from "../core/tree.ts";
import { buildOpenAPI, type OpenAPIDocument, type OpenAPIInfo } from "../openapi/document.ts";
import { securitySchemes, type SecurityStyle } from "../openapi/security.ts";
import { HTTPException } from "../core/errors.ts";
import { Refusal } from "../core/refusal.ts";
import { ErrorStyles, installErrorHandling, RouteError, sendHTTPException, sendRefusal } from "./errors.ts";
import { installParsers } from "./parsers.ts";
import { FastifyRequestView } from "./request-view.ts";
import { registerDocs, type DocsOptions } from "./docs.ts";

export interface GatehouseOptions extends DocsOptions {
  readonly info?: Partial<OpenAPIInfo>;
  /** Dependencies every route runs first (FastAPI's `FastAPI(dependencies=[...])`). */
  readonly dependencies?: readonly DependencyLike[];
  /** Where the OpenAPI document is served; `null` serves none. Default `/openapi.json`. */
  readonly openapiUrl?: string | null;
  /**
   * How operations' `security` is written: `"fastapi"` (default, FastAPI's list of every scheme use) or
   * `"exact"` (schemes needed together in one requirement, `{}` where no credential is needed).
   */
  readonly securityStyle?: SecurityStyle;
  /** Where errors are logged; default: each request's Fastify logger. */
  readonly logger?: FastifyBaseLogger;
  /** Called once the routes are compiled, with them and the document. */
  readonly onCompiled?: (compiled: CompiledRoutes) => void;
  /**
   * How long start-up waits for what the routes need to be reachable (each token store their dependencies
   * use), ms. Default `$GATEHOUSE_STARTUP_TIMEOUT_MS`, else 5000; an app made by `createApp` widens Fastify's
   * `pluginTimeout` to match, a Fastify app of your own must keep it under its `pluginTimeout` (10 000 by default).
   */
  readonly startupTimeoutMs?: number;
  /**
   * Start even when that wait fails, logging a warning: requests that need the store answer 503 until it
   * is back. Default `false`: `app.ready()` and `listen()` reject with `GH_STORE_UNREACHABLE`.
   */
  readonly startDegraded?: boolean;
}

export interface CompiledRoutes {
  readonly routes: readonly CompiledRoute[];
  readonly openapi: () => OpenAPIDocument;
}

/**
 * Mount a router into any Fastify app.
 *
 * @example
 * const fastify = Fastify();
 * await fastify.register(gatehouse(router, { info: { title: "Items" } }), { prefix: "/api" });
 */
export function gatehouse(router: Router, options: GatehouseOptions = {}): FastifyPluginAsync {
  return async function gatehousePlugin(fastify: FastifyInstance) {
    await installParsers(fastify);
    const styles = new ErrorStyles();
    installErrorHandling(fastify, options.logger, styles);
    router.seal("the app has started: declare every route before ready() or listen() (Fastify refuses late routes too)");
    const routes = router.routes().map((definition) => compileRoute(definition, options.dependencies ?? []));
    securitySchemes(routes.map((route) => route.tree)); // fails start-up on conflicting scheme names
    await awaitReadiness(routes, options, options.logger ?? fastify.log);
    for (const route of routes) registerRoute(fastify, route, options.logger, styles);

    let document: OpenAPIDocument | undefined;
    const info = { title: options.info?.title ?? "gatehouse", version: options.info?.version ?? "0.1.0", ...options.info };
    // Under a prefix, the document's paths stay the router's and `servers` says where they are mounted.
    const servers = fastify.prefix ? [{ url: fastify.prefix }] : [];
    const openapi = () => (document ??= buildOpenAPI(routes, info, { servers, securityStyle: options.securityStyle }));
    if (options.openapiUrl !== null) {
      const openapiUrl = options.openapiUrl ?? "/openapi.json";
      const built = openapi(); // built at start-up, so that a conflict in it fails there
      fastify.get(openapiUrl, async () => openapi());
      registerDocs(fastify, options, { title: info.title, openapiUrl, document: built });
    }
    options.onCompiled?.({ routes, openapi });
  };
}

/** Wait for what the routes' dependencies declare they need (`DependencyOptions.ready`), each once. */
async function awaitReadiness(routes: readonly CompiledRoute[], options: GatehouseOptions, log: FastifyBaseLogger): Promise<void> {
  const checks = new Set<(timeoutMs: number) => Promise<unknown>>();
  for (const route of routes) for (const node of walk(route.tree)) if (node.dependency.ready) checks.add(node.dependency.ready);
  const timeoutMs = options.startupTimeoutMs ?? startupTimeoutMs();
  try {
    await Promise.all([...checks].map((check) => check(timeoutMs)));
  } catch (error) {
    if (!options.startDegraded) throw error;
    log.warn({ err: error }, "gatehouse: starting degraded: requests that need the token store answer 503 until it is reachable");
  }
}

const contexts = new WeakMap<FastifyRequest, RequestContext>();

function registerRoute(fastify: FastifyInstance, route: CompiledRoute, logger: FastifyBaseLogger | undefined, styles: ErrorStyles): void {
  const { plan } = route;
  const url = route.definition.path.replace(/\{([^}]+)\}/g, ":$1");
  styles.set(route.definition.method, fastify.prefix + url, route.errorStyle);
  fastify.route({
    method: route.definition.method,
    url,
    // Not async: a plan of synchronous steps answers without a promise, and a scheme's refusal (no
    // credential) is sent as prepared, with no exception at all. Once it has sent, it returns nothing:
    // a returned reply is a thenable that Fastify would subscribe to.
    handler: (request: FastifyRequest, reply: FastifyReply) => {
      const ctx = new RequestContext(new FastifyRequestView(request), plan.slots);
      if (plan.usesCleanup) contexts.set(request, ctx);
      let result: unknown;
      try {
        result = solve(plan, ctx);
      } catch (error) {
        fail(route, reply, error);
        return;
      }
      if (result instanceof Refusal) {
        sendRefusal(reply, result, route.errorStyle);
        return;
      }
      return isThenable(result) ? answerLater(route, ctx, reply, result) : answer(route, ctx, reply, result);
    },
    onResponse: plan.usesCleanup
      ? async (request: FastifyRequest) => {
          const log = logger ?? request.log;
          await contexts.get(request)?.runCleanups((error) => log.error({ reqId: request.id, err: error }, "dependency cleanup failed"));
        }
      : undefined,
  });
}

async function answerLater(route: CompiledRoute, ctx: RequestContext, reply: FastifyReply, pending: PromiseLike<unknown>): Promise<unknown> {
  let result: unknown;
  try {
    result = await pending;
  } catch (error) {
    return fail(route, reply, error);
  }
  if (result instanceof Refusal) return sendRefusal(reply, result, route.errorStyle);
  return answer(route, ctx, reply, result);
}

/** The handler's result as the response: through the response schema, with the status and headers set. */
function answer(route: CompiledRoute, ctx: RequestContext, reply: FastifyReply, result: unknown): unknown {
  let body: unknown;
  try {
    body = route.toBody(result);
  } catch (error) {
    throw routeError(error);
  }
  if (ctx.hasResponse) {
    reply.code(ctx.response.status ?? route.status).headers(ctx.response.headers);
  } else if (route.status !== 200) {
    reply.code(route.status);
  }
  return send(reply, body);
}

/**
 * A 4xx (a scheme's 401, a 422) is an answer: sent at once, not through Fastify's error path. Anything
 * else goes to the error handler (and the log), as Fastify does with a thrown error.
 */
function fail(route: CompiledRoute, reply: FastifyReply, error: unknown): FastifyReply {
  if (error instanceof HTTPException && error.status < 500) return sendHTTPException(reply, error, route.errorStyle);
  return reply.send(routeError(error));
}

/** HTTP exceptions answer as they are; anything else is a bug in the route, a 500. */
function routeError(error: unknown): Error {
  return error instanceof HTTPException ? error : new RouteError(error);
}

/** FastAPI answers every result as JSON, strings and `None` included. */
function send(reply: FastifyReply, body: unknown): unknown {
  if (body !== null && typeof body === "object") return Buffer.isBuffer(body) ? reply.send(body) : body;
  return reply.type("application/json").send(JSON.stringify(body ?? null));
}
