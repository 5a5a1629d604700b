/**
 * @module
 * The Content-Security-Policy of each docs page. No page runs an inline script (Swagger UI's initialiser
 * is a served file that reads its parameters from a JSON data block), so `script-src 'self'` suffices;
 * no page may be framed (`frame-ancestors 'none'`, against clickjacking the Authorize dialog). An app
 * that sets its own policy (e.g. `@fastify/helmet`) keeps it: these apply where it has none.
 */
import type { OpenAPIDocument } from "../openapi/types.ts";

const COMMON = ["frame-ancestors 'none'", "base-uri 'none'", "object-src 'none'"];

/**
 * Swagger UI: its files and the document from the app; the Authorize dialog's token requests also go to
 * the origins of absolute `tokenUrl`/`refreshUrl`/`openIdConnectUrl` in the document (another server's
 * token endpoint). Inline styles: Swagger UI's React components set them.
 */
export function swaggerUiPolicy(document: OpenAPIDocument | undefined): string {
  const connect = ["'self'", ...tokenOrigins(document)].join(" ");
  return ["default-src 'none'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:", "font-src 'self' data:", `connect-src ${connect}`, "form-action 'self'", ...COMMON].join("; ");
}

/** The OAuth2 redirect page: swagger-ui-dist's one script, which hands the code back to the opener. */
export const REDIRECT_POLICY = ["default-src 'none'", "script-src 'self'", ...COMMON].join("; ");

/**
 * ReDoc 2 always shows Redocly's logo from cdn.redoc.ly, with no option to turn it off; `img-src` keeps
 * that request (and any other) from leaving the machine; the logo hides itself when it fails to load.
 * Its search index runs in a worker made from a `blob:` URL; styled-components writes inline styles.
 */
export const REDOC_POLICY = ["default-src 'self'", "img-src 'self' data:", "style-src 'self' 'unsafe-inline'", "worker-src 'self' blob:", ...COMMON].join("; ");

/** The origins of the absolute URLs Swagger UI may call for tokens, in the document's order. */
function tokenOrigins(document: OpenAPIDocument | undefined): string[] {
  const origins = new Set<string>();
  for (const scheme of Object.values(document?.components?.securitySchemes ?? {})) {
    const urls = scheme.type === "openIdConnect" ? [scheme.openIdConnectUrl] : scheme.type === "oauth2" ? Object.values(scheme.flows).flatMap((flow: { tokenUrl?: string; refreshUrl?: string } | undefined) => [flow?.tokenUrl, flow?.refreshUrl]) : [];
    for (const url of urls) {
      const origin = originOf(url);
      if (origin) origins.add(origin);
    }
  }
  return [...origins];
}

/** `https://idp.example` for an absolute http(s) URL; nothing for a relative one (the app's own origin). */
function originOf(url: unknown): string | undefined {
  if (typeof url !== "string" || !/^https?:\/\//i.test(url)) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
