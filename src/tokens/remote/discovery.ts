/**
 * @module
 * Finding an issuer's endpoints: OpenID Connect Discovery (`/.well-known/openid-configuration`), falling
 * back to RFC 8414's `/.well-known/oauth-authorization-server`, and the checks that make the answer
 * trustworthy: it names exactly the configured issuer, and its endpoints are HTTPS (or on this machine).
 */
import { z } from "zod";
import { issuerFailed, requestJson, type HttpLimits } from "./fetch.ts";
import type { IssuerMetadata } from "./types.ts";

const Endpoint = z.string().optional();
const MetadataSchema = z.looseObject({
  issuer: z.string(),
  jwks_uri: Endpoint,
  introspection_endpoint: Endpoint,
  authorization_endpoint: Endpoint,
  token_endpoint: Endpoint,
  scopes_supported: z.array(z.string()).optional(),
});

/** The URLs to ask, in order: OIDC Discovery §4 appends to the issuer; RFC 8414 §3.1 inserts before its path. */
export function discoveryUrls(issuer: string): string[] {
  const url = new URL(issuer);
  const path = url.pathname === "/" ? "" : url.pathname.replace(/\/$/, "");
  return [`${url.origin}${path}/.well-known/openid-configuration`, `${url.origin}/.well-known/oauth-authorization-server${path}`];
}

/**
 * Fetch and check the issuer's metadata. A document that is not found falls through to the next URL; an
 * issuer that cannot be reached does not (the next URL is on the same host). Rejects with `GH_ISSUER_FAILED`.
 */
export async function discover(issuer: string, urls: readonly string[], limits: HttpLimits & { readonly allowHttp: boolean }): Promise<IssuerMetadata> {
  const refused: string[] = [];
  for (const url of urls) {
    const { status, json } = await requestJson(url, { headers: { accept: "application/json" } }, limits);
    if (status !== 200) {
      refused.push(`${url}: ${status}`);
      continue;
    }
    const parsed = MetadataSchema.safeParse(json);
    if (!parsed.success) throw issuerFailed(`${url}: not an authorization server's metadata document`);
    const metadata = parsed.data as IssuerMetadata;
    // OIDC Discovery §4.3, RFC 8414 §3.3: the document must name exactly the issuer it was fetched for,
    // or one issuer could pass its keys off as another's.
    if (metadata.issuer !== issuer) throw issuerFailed(`${url}: the document is for issuer "${metadata.issuer}", not "${issuer}"`);
    for (const key of ["jwks_uri", "introspection_endpoint"] as const) {
      const endpoint = metadata[key];
      if (endpoint !== undefined && !isTrustedUrl(endpoint, limits.allowHttp)) throw issuerFailed(`${url}: \`${key}\` must be an https URL: ${endpoint}`);
    }
    return Object.freeze(metadata);
  }
  throw issuerFailed(`no metadata for issuer "${issuer}" (${refused.join(", ")})`);
}

/**
 * Whether keys or token answers may be fetched from `url`: HTTPS, or plain HTTP to this machine (a
 * development issuer) or where `allowHttp` says so (a private network the operator vouches for).
 */
export function isTrustedUrl(url: string, allowHttp: boolean): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === "https:") return true;
  if (parsed.protocol !== "http:") return false;
  return allowHttp || isLoopback(parsed.hostname);
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
