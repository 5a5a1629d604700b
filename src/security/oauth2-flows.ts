/**
 * @module
 * The OAuth2 flows object of an `OAuth2` scheme, checked and ordered as FastAPI's pydantic `OAuthFlows`
 * model checks and serialises it.
 */
import { gatehouseError } from "../core/errors.ts";
import type { OAuthFlows } from "./base.ts";

/** Each flow's URLs, in the order FastAPI's pydantic models (and so its JSON) list them. */
const FLOW_URLS = {
  implicit: ["authorizationUrl"],
  password: ["tokenUrl"],
  clientCredentials: ["tokenUrl"],
  authorizationCode: ["authorizationUrl", "tokenUrl"],
} as const;

/**
 * Check the flows as pydantic checks FastAPI's `OAuthFlows` (required URLs, `scopes` defaulting to `{}`)
 * and order them as it serialises them. A misspelt flow would silently document nothing, so it is an error.
 */
export function normalizeFlows(flows: OAuthFlows, owner: string): OAuthFlows {
  if (flows === null || typeof flows !== "object") throw gatehouseError("GH_INVALID_OPTION", `gatehouse: ${owner}: \`flows\` must be an object`);
  for (const name of Object.keys(flows)) {
    if (!Object.hasOwn(FLOW_URLS, name)) {
      throw gatehouseError("GH_INVALID_OPTION", `gatehouse: ${owner}: unknown OAuth2 flow \`flows.${name}\` (use implicit, password, clientCredentials or authorizationCode)`);
    }
  }
  const out: Record<string, unknown> = {};
  for (const [name, urls] of Object.entries(FLOW_URLS)) {
    const flow = (flows as Record<string, Record<string, unknown> | undefined>)[name];
    if (flow === undefined) continue;
    const where = `${owner}: \`flows.${name}`;
    if (flow === null || typeof flow !== "object") throw gatehouseError("GH_INVALID_OPTION", `gatehouse: ${where}\` must be an object`);
    const scopes = flow.scopes ?? {};
    if (scopes === null || typeof scopes !== "object" || Object.values(scopes).some((text) => typeof text !== "string")) {
      throw gatehouseError("GH_INVALID_OPTION", `gatehouse: ${where}.scopes\` must map scope names to descriptions`);
    }
    for (const key of ["refreshUrl", ...urls]) {
      const url = flow[key];
      const required = key !== "refreshUrl";
      if ((required || url !== undefined) && (typeof url !== "string" || url === "")) {
        throw gatehouseError("GH_INVALID_OPTION", `gatehouse: ${where}.${key}\` must be a non-empty string`);
      }
    }
    out[name] = { refreshUrl: flow.refreshUrl, scopes: { ...scopes }, ...Object.fromEntries(urls.map((key) => [key, flow[key]])) };
  }
  return out as OAuthFlows;
}
