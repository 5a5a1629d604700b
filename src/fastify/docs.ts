/**
 * @module
 * Mounts the docs pages on Fastify: Swagger UI at `/docs` (its files and initialiser under `/docs/assets/`,
 * its OAuth2 redirect page at `/docs/oauth2-redirect`) and, when asked for, ReDoc (`redocUrl`, from the
 * optional `redoc` package). Each URL is configurable or `null` for none. Pages revalidate on every load
 * (`no-cache` + `ETag`) and carry a Content-Security-Policy unless the app sets its own (helmet); the
 * library files are cached for a week and their URLs carry a version, so an upgrade is fetched anew.
 */
import { gatehouseError } from "../core/errors.ts";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  inlineAsset,
  notModified,
  oauth2RedirectHtml,
  redocBundle,
  redocHtml,
  REDIRECT_POLICY,
  REDOC_POLICY,
  swaggerUiAsset,
  swaggerUiHtml,
  SWAGGER_UI_FILES,
  SWAGGER_UI_INIT_SCRIPT,
  swaggerUiPolicy,
  swaggerUiVersion,
  type AssetSource,
  type SwaggerUiOptions,
} from "../docs/index.ts";
import type { OpenAPIDocument } from "../openapi/types.ts";

/** Where the docs pages are served. Paths are relative to the plugin's prefix. */
export interface DocsOptions {
  /** Swagger UI; `null` serves none. Default `/docs`. */
  readonly docsUrl?: string | null;
  /**
   * ReDoc, off by default: set a path (FastAPI's is `/redoc`) and install the optional `redoc` package
   * (with React and core-js, about 110 packages), or start-up fails naming it.
   */
  readonly redocUrl?: string | null;
  /** Swagger UI's OAuth2 redirect page; `null` serves none. Default `<docsUrl>/oauth2-redirect`. */
  readonly swaggerUiOAuth2RedirectUrl?: string | null;
  /** Swagger UI and its Authorize dialog: client id, PKCE, persisting the authorization, other parameters. */
  readonly swaggerUi?: SwaggerUiOptions;
}

const PAGE_CACHE = "no-cache";
const ASSET_CACHE = "public, max-age=604800";

/**
 * Register the docs pages for `document`, served at `openapiUrl`. Throws a `ConfigurationError` naming
 * the option when a URL is not a plain absolute path, or when ReDoc is asked for and not installed.
 */
export function registerDocs(fastify: FastifyInstance, options: DocsOptions, page: { title: string; openapiUrl: string; document: OpenAPIDocument }): void {
  const docsUrl = checkedUrl("docsUrl", options.docsUrl, "/docs");
  const redocUrl = checkedUrl("redocUrl", options.redocUrl, null);
  const redirectUrl = docsUrl === null ? null : checkedUrl("swaggerUiOAuth2RedirectUrl", options.swaggerUiOAuth2RedirectUrl, join(docsUrl, "oauth2-redirect"));
  // The pages run in the browser: their links need the prefix the plugin is mounted under.
  const prefix = fastify.prefix;
  const openapiUrl = prefix + page.openapiUrl;
  if (docsUrl !== null) {
    const assets = join(docsUrl, "assets");
    const version = swaggerUiVersion();
    for (const file of SWAGGER_UI_FILES) serve(fastify, join(assets, file), swaggerUiAsset(file), ASSET_CACHE);
    const init = inlineAsset(SWAGGER_UI_INIT_SCRIPT, ".js");
    serve(fastify, join(assets, "gatehouse-init.js"), constant(init), ASSET_CACHE);
    const html = swaggerUiHtml({
      title: `${page.title} - Swagger UI`,
      openapiUrl,
      assetsUrl: prefix + assets,
      version,
      oauth2RedirectUrl: redirectUrl === null ? null : prefix + redirectUrl,
      // The initialiser's URL changes with its bytes, so that the week-long cache never serves a stale one.
      initScriptUrl: `${prefix}${join(assets, "gatehouse-init.js")}?v=${init.etag.slice(1, 13)}`,
      options: options.swaggerUi ?? {},
    });
    serve(fastify, docsUrl, constant(inlineAsset(html)), PAGE_CACHE, swaggerUiPolicy(page.document));
    if (redirectUrl !== null) {
      const script = `${prefix}${join(assets, "oauth2-redirect.js")}?v=${version}`;
      serve(fastify, redirectUrl, constant(inlineAsset(oauth2RedirectHtml(script))), PAGE_CACHE, REDIRECT_POLICY);
    }
  }
  if (redocUrl !== null) {
    const redoc = redocBundle(`redocUrl "${redocUrl}"`);
    const script = join(redocUrl, "assets/redoc.standalone.js");
    serve(fastify, script, redoc.asset, ASSET_CACHE);
    const html = redocHtml({ title: `${page.title} - ReDoc`, openapiUrl, scriptUrl: `${prefix}${script}?v=${redoc.version}` });
    serve(fastify, redocUrl, constant(inlineAsset(html)), PAGE_CACHE, REDOC_POLICY);
  }
}

/** Serve an asset; a page also gets `policy` as its Content-Security-Policy, unless the app set one (helmet's). */
function serve(fastify: FastifyInstance, url: string, source: AssetSource, cacheControl: string, policy?: string): void {
  fastify.get(url, async (request: FastifyRequest, reply: FastifyReply) => {
    const asset = source();
    if (policy && !reply.hasHeader("content-security-policy")) reply.header("content-security-policy", policy);
    reply.header("cache-control", cacheControl).header("etag", asset.etag).header("x-content-type-options", "nosniff");
    if (notModified(request.headers["if-none-match"], asset.etag)) return reply.code(304).send();
    return reply.type(asset.contentType).send(asset.body);
  });
}

function constant<T>(value: T): () => T {
  return () => value;
}

function join(base: string, path: string): string {
  return `${base.replace(/\/+$/, "")}/${path}`;
}

function checkedUrl(option: string, value: string | null | undefined, fallback: string | null): string | null {
  const url = value === undefined ? fallback : value;
  if (url === null) return null;
  // Fastify reads `:name` and `*` as route parameters; a query or fragment can never match a route.
  if (typeof url !== "string" || !/^\/[\w\-./~]*$/.test(url)) {
    throw gatehouseError("GH_INVALID_OPTION", `gatehouse: ${option} must be a path starting with "/" (letters, digits, - . _ ~ /) or null, got ${JSON.stringify(url)}`);
  }
  return url;
}
