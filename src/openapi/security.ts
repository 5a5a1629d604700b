/**
 * @module
 * The OpenAPI side of security: each operation's `security` requirements, read off its dependency tree,
 * and the `components.securitySchemes` of all routes. Scopes come from the same merged path scopes the
 * runtime gives `SecurityScopes` (FastAPI `openapi/utils.py` + `dependencies/utils.py`).
 */
import type { DependantNode } from "../core/tree.ts";
import { walk } from "../core/tree.ts";
import type { SecuritySchemeObject } from "../security/base.ts";

export type SecurityRequirement = Record<string, string[]>;

/**
 * One requirement per scheme use in the tree, in tree order, repeats dropped. OAuth2 and OpenID Connect
 * requirements carry the scopes required on the path to them; other schemes carry none.
 */
export function operationSecurity(tree: DependantNode): SecurityRequirement[] {
  const requirements: SecurityRequirement[] = [];
  const seen = new Set<string>();
  for (const node of walk(tree)) {
    if (!node.scheme) continue;
    const scopes = node.scheme.takesScopes ? [...node.scopes] : [];
    const key = JSON.stringify([node.scheme.schemeName, scopes]);
    if (seen.has(key)) continue;
    seen.add(key);
    requirements.push({ [node.scheme.schemeName]: scopes });
  }
  return requirements;
}

/**
 * Every scheme used by the given trees, by scheme name. Two different schemes under one name would make
 * the document lie about one of them, so that fails start-up.
 */
export function securitySchemes(trees: Iterable<DependantNode>): Record<string, SecuritySchemeObject> {
  const schemes: Record<string, SecuritySchemeObject> = {};
  const serialized = new Map<string, string>();
  for (const tree of trees) {
    for (const node of walk(tree)) {
      if (!node.scheme) continue;
      const { schemeName, model } = node.scheme;
      const json = canonicalJson(model);
      const known = serialized.get(schemeName);
      if (known === undefined) {
        serialized.set(schemeName, json);
        schemes[schemeName] = model;
      } else if (known !== json) {
        throw new TypeError(
          `gatehouse: two different security schemes are both named "${schemeName}" (${known} and ${json}); give one a distinct schemeName`,
        );
      }
    }
  }
  return schemes;
}

/** JSON with keys sorted at every depth: equal models compare equal whatever their key order. */
function canonicalJson(value: unknown): string {
  // (A replacer key list would apply to nested objects too and drop e.g. every flow of an OAuth2 model.)
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === "object" && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}
