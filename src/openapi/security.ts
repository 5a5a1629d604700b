/**
 * @module
 * The OpenAPI side of security: each operation's `security` requirements, read off its dependency tree,
 * and the `components.securitySchemes` of all routes. Scopes come from the same merged path scopes the
 * runtime gives `SecurityScopes` (FastAPI `openapi/utils.py` + `dependencies/utils.py`).
 */
import { gatehouseError } from "../core/errors.ts";
import { mergeScopes } from "../core/scopes.ts";
import type { DependantNode } from "../core/tree.ts";
import { walk } from "../core/tree.ts";
import type { SecuritySchemeObject } from "../security/base.ts";

export type SecurityRequirement = Record<string, string[]>;

/**
 * How an operation's `security` is written.
 * - `"fastapi"` (default): one requirement per scheme use, as FastAPI writes it. OpenAPI reads the list as
 *   alternatives, so a route that needs two schemes together is documented as needing either.
 * - `"exact"`: what the code enforces. Schemes required together form one requirement
 *   (`[{"A": [], "B": []}]`); `autoError: false` schemes add `{}` (no credential is accepted).
 * In both, `anyOf(a, b)` is written as alternatives, `optional(a)` adds `{}`, and a public route is `[]`.
 */
export type SecurityStyle = "fastapi" | "exact";

/**
 * The operation's `security`, or `undefined` when its tree has no scheme (the key is then left out).
 * `droppedInherited`: a public route shed app- or router-level security, which `[]` states explicitly.
 */
export function operationSecurity(tree: DependantNode, style: SecurityStyle = "fastapi", droppedInherited = false): SecurityRequirement[] | undefined {
  const requirements = style === "exact" ? exactRequirements(tree) : flatRequirements(tree);
  const none = requirements.length === 0 || (requirements.length === 1 && Object.keys(requirements[0]!).length === 0);
  // A public route drops only inherited security; schemes of its own (an `optional(user)`, say) still run, so they are documented.
  if (none) return droppedInherited ? [] : undefined;
  return requirements;
}

/** FastAPI's list: each scheme use with the scopes on its path, tree order, repeats dropped. */
function flatRequirements(tree: DependantNode): SecurityRequirement[] {
  const requirements: SecurityRequirement[] = [];
  let optional = false;
  for (const node of walk(tree)) {
    if (node.alternatives === "optional") optional = true;
    if (node.scheme) requirements.push({ [node.scheme.schemeName]: requirementScopes(node) });
  }
  if (optional) requirements.push({});
  return unique(requirements);
}

/** Alternatives, each a conjunction: AND across a node's children, OR across `anyOf`'s. */
function exactRequirements(node: DependantNode): SecurityRequirement[] {
  if (node.scheme) {
    const requirement = { [node.scheme.schemeName]: requirementScopes(node) };
    return node.scheme.autoError ? [requirement] : [requirement, {}];
  }
  const children = node.children.map(exactRequirements);
  if (node.alternatives === "anyOf") {
    // anyOf moves past an alternative that yields nothing, so "no credential" does not satisfy it.
    return unique(children.flat().filter((requirement) => Object.keys(requirement).length > 0));
  }
  let combined: SecurityRequirement[] = [{}];
  for (const alternatives of children) combined = unique(combined.flatMap((left) => alternatives.map((right) => both(left, right))));
  return node.alternatives === "optional" ? unique([...combined, {}]) : combined;
}

function requirementScopes(node: DependantNode): string[] {
  return node.scheme!.takesScopes ? [...node.scopes] : [];
}

/** One requirement needing everything `a` and `b` need; scopes of a scheme in both are merged. */
function both(a: SecurityRequirement, b: SecurityRequirement): SecurityRequirement {
  const merged: SecurityRequirement = { ...a };
  for (const [name, scopes] of Object.entries(b)) merged[name] = [...mergeScopes(merged[name] ?? [], scopes)];
  return merged;
}

function unique(requirements: SecurityRequirement[]): SecurityRequirement[] {
  const seen = new Set<string>();
  return requirements.filter((requirement) => {
    const key = JSON.stringify(Object.entries(requirement).sort(([a], [b]) => a.localeCompare(b)));
    return !seen.has(key) && (seen.add(key), true);
  });
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
        throw gatehouseError("GH_SCHEME_NAME_CONFLICT", 
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
