/**
 * @module
 * The files the docs pages load, read from the installed `swagger-ui-dist` and `redoc` packages, so that
 * the pages work offline (FastAPI's load Swagger UI from a CDN). Each file is read once, on first use,
 * and carries a strong `ETag` (a hash of its bytes) for conditional requests.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { extname } from "node:path";

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

/** ReDoc's one file. */
export const REDOC_FILES = ["redoc.standalone.js"] as const;

export function swaggerUiAsset(file: (typeof SWAGGER_UI_FILES)[number]): AssetSource {
  return packageAsset(`swagger-ui-dist/${file}`);
}

export function redocAsset(file: (typeof REDOC_FILES)[number]): AssetSource {
  return packageAsset(`redoc/bundles/${file}`);
}

/** The installed version of a package, for cache-busting asset URLs. */
export function packageVersion(name: "swagger-ui-dist" | "redoc"): string {
  return (require(`${name}/package.json`) as { version: string }).version;
}

/** An asset made of bytes in memory (a generated page). */
export function inlineAsset(body: string, contentType = CONTENT_TYPES[".html"]!): Asset {
  const bytes = Buffer.from(body, "utf8");
  return Object.freeze({ body: bytes, contentType, etag: etagOf(bytes) });
}

function packageAsset(specifier: string): AssetSource {
  let asset: Asset | undefined;
  return () => {
    if (!asset) {
      const path = require.resolve(specifier);
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
