/**
 * @module
 * The files the docs pages load, read from the installed `swagger-ui-dist` package (a dependency) and the
 * `redoc` package (an optional peer, for apps that turn ReDoc on), so that the pages work offline
 * (FastAPI's load them from a CDN). Each file is read once, on first use, and carries a strong `ETag` (a
 * hash of its bytes) for conditional requests.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, extname, join } from "node:path";
import { resolvePeer } from "../core/peer.ts";

export interface Asset {
  readonly body: Buffer;
  readonly contentType: string;
  /** A strong validator, quoted: `"…"`. */
  readonly etag: string;
}

/** Loads an asset on first call, then returns the same one. */
export type AssetSource = () => Asset;

const require = createRequire(import.meta.url);

const CONTENT_TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".png": "image/png",
  ".html": "text/html; charset=utf-8",
};

/** Swagger UI's files, by the name they are served under. */
export const SWAGGER_UI_FILES = ["swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png", "oauth2-redirect.js"] as const;

export function swaggerUiAsset(file: (typeof SWAGGER_UI_FILES)[number]): AssetSource {
  return fileAsset(() => require.resolve(`swagger-ui-dist/${file}`));
}

/** The installed version of swagger-ui-dist, for cache-busting asset URLs. */
export function swaggerUiVersion(): string {
  return (require("swagger-ui-dist/package.json") as { version: string }).version;
}

/**
 * ReDoc's standalone bundle and its version. Resolved at once, so that a missing `redoc` package fails
 * start-up (`GH_MISSING_PEER`, naming `purpose`) rather than the first page load.
 */
export function redocBundle(purpose: string): { readonly asset: AssetSource; readonly version: string } {
  const manifest = resolvePeer("redoc/package.json", "redoc", purpose);
  const { version } = require(manifest) as { version: string };
  return { asset: fileAsset(() => join(dirname(manifest), "bundles/redoc.standalone.js")), version };
}

/** An asset made of bytes in memory (a generated page, an initialiser). */
export function inlineAsset(body: string, type: ".html" | ".js" = ".html"): Asset {
  const bytes = Buffer.from(body, "utf8");
  return Object.freeze({ body: bytes, contentType: CONTENT_TYPES[type]!, etag: etagOf(bytes) });
}

function fileAsset(locate: () => string): AssetSource {
  let asset: Asset | undefined;
  return () => {
    if (!asset) {
      const path = locate();
      const body = readFileSync(path);
      asset = Object.freeze({ body, contentType: CONTENT_TYPES[extname(path)] ?? "application/octet-stream", etag: etagOf(body) });
    }
    return asset;
  };
}

function etagOf(bytes: Buffer): string {
  return `"${createHash("sha256").update(bytes).digest("base64url").slice(0, 27)}"`;
}

/**
 * Whether a request's `If-None-Match` matches the asset's ETag, so a 304 may answer it (RFC 9110 §13.1.2:
 * weak comparison, `*` matches any).
 */
export function notModified(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === "*") return true;
  return ifNoneMatch.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}
