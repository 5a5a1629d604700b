/**
 * @module
 * Mounts the docs pages on Fastify: Swagger UI at `/docs` (its files under `/docs/assets/`, its OAuth2
 * redirect page at `/docs/oauth2-redirect`) and ReDoc at `/redoc`, each URL configurable or `null` for
 * none. Pages revalidate on every load (`no-cache` + `ETag`); the library files are cached for a week and
 * their URLs carry the package version, so an upgrade is fetched anew.
 */
import { gatehouseError } from "../core/errors.ts";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  inlineAsset,
  notModified,
  oauth2RedirectHtml,
  packageVersion,
  redocAsset,
  redocHtml,
  swaggerUiAsset,
  swaggerUiHtml,
  SWAGGER_UI_FILES,
  type AssetSource,
  type SwaggerUiOptions,
} from "../docs/index.ts";

/** Where the docs pages are served. Paths are relative to the plugin's prefix. */
export interface DocsOptions {
  /** Swagger UI; `null` serves none. Default `/docs`. */
  readonly docsUrl?: string | null;
  /** ReDoc; `null` serves none. Default `/redoc`. */
  readonly redocUrl?: string | null;
  /** Swagger UI's OAuth2 redirect page; `null` serves none. Default `<docsUrl>/oauth2-redirect`. */
  readonly swaggerUiOAuth2RedirectUrl?: string | null;
  /** Swagger UI and its Authorize dialog: client id, PKCE, persisting the authorization, other parameters. */
  readonly swaggerUi?: SwaggerUiOptions;
}

const PAGE_CACHE = "no-cache";
/**
 * ReDoc 2 always shows Redocly's logo from cdn.redoc.ly, with no option to turn it off; this policy keeps
 * that request (and any other) from leaving the machine. The logo hides itself when it fails to load.
 */
const REDOC_POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'";
const ASSET_CACHE = "public, max-age=604800";

/**
 * Register the docs pages for the document served at `openapiUrl`. Throws a `TypeError` naming the option
 * when a URL is not a plain absolute path.
 */
export function registerDocs(fastify: FastifyInstance, options: DocsOptions, page: { title: string; openapiUrl: string }): void {
  const docsUrl = checkedUrl("docsUrl", options.docsUrl, "/docs");
  const redocUrl = checkedUrl("redocUrl", options.redocUrl, "/redoc");
  const redirectUrl = docsUrl === null ? null : checkedUrl("swaggerUiOAuth2RedirectUrl", options.swaggerUiOAuth2RedirectUrl, join(docsUrl, "oauth2-redirect"));
  // The pages run in the browser: their links need the prefix the plugin is mounted under.
  const prefix = fastify.prefix;
  const openapiUrl = prefix + page.openapiUrl;
  if (docsUrl !== null) {
    const assets = join(docsUrl, "assets");
    const version = packageVersion("swagger-ui-dist");
    for (const file of SWAGGER_UI_FILES) serve(fastify, join(assets, file), swaggerUiAsset(file), ASSET_CACHE);
    const html = swaggerUiHtml({
      title: `${page.title} - Swagger UI`,
      openapiUrl,
      assetsUrl: prefix + assets,
      version,
      oauth2RedirectUrl: redirectUrl === null ? null : prefix + redirectUrl,
      options: options.swaggerUi ?? {},
    });
    serve(fastify, docsUrl, constant(inlineAsset(html)), PAGE_CACHE);
    if (redirectUrl !== null) {
      const script = `${prefix}${join(assets, "oauth2-redirect.js")}?v=${version}`;
      serve(fastify, redirectUrl, constant(inlineAsset(oauth2RedirectHtml(script))), PAGE_CACHE);
    }
  }
  if (redocUrl !== null) {
    const script = join(redocUrl, "assets/redoc.standalone.js");
    serve(fastify, script, redocAsset("redoc.standalone.js"), ASSET_CACHE);
    const html = redocHtml({ title: `${page.title} - ReDoc`, openapiUrl, scriptUrl: `${prefix}${script}?v=${packageVersion("redoc")}` });
    serve(fastify, redocUrl, constant(inlineAsset(html)), PAGE_CACHE, { "content-security-policy": REDOC_POLICY });
  }
}

function serve(fastify: FastifyInstance, url: string, source: AssetSource, cacheControl: string, headers: Record<string, string> = {}): void {
  fastify.get(url, async (request: FastifyRequest, reply: FastifyReply) => {
    const asset = source();
    reply.headers(headers).header("cache-control", cacheControl).header("etag", asset.etag).header("x-content-type-options", "nosniff");
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

function checkedUrl(option: string, value: string | null | undefined, fallback: string): string | null {
  if (value === null) return null;
  const url = value ?? fallback;
  // Fastify reads `:name` and `*` as route parameters; a query or fragment can never match a route.
  if (typeof url !== "string" || !/^\/[\w\-./~]*$/.test(url)) {
    throw gatehouseError("GH_INVALID_OPTION", `gatehouse: ${option} must be a path starting with "/" (letters, digits, - . _ ~ /) or null, got ${JSON.stringify(url)}`);
  }
  return url;
}
