/**
 * @module
 * A route's security as the tree FastAPI's scopes tutorial draws: route → dependency → sub-dependency,
 * the scopes each use adds, the `SecurityScopes` each dependency that asks for one receives, and the
 * scheme at the leaf with the scopes that reach it. For reading and reviewing, not for parsing.
 */
import type { CompiledRoute } from "../core/route.ts";
import type { DependantNode } from "../core/tree.ts";
import type { SecuritySchemeObject } from "../security/base.ts";
import { operationSecurity } from "./security.ts";

/**
 * Every route's tree, one block per route, blocks separated by a blank line.
 *
 * @example
 * console.log(formatRouteTree(app.compiledRoutes));
 * // GET /users/me/items/ → readOwnItems   security: OAuth2PasswordBearer ["items", "me"]
 * // └─ currentUser: getCurrentActiveUser   adds ["items"]
 * //    └─ currentUser: getCurrentUser   adds ["me"]   SecurityScopes ["items", "me"]
 * //       └─ token: OAuth2PasswordBearer   scheme oauth2 password   requires ["items", "me"]
 */
export function formatRouteTree(routes: readonly CompiledRoute[]): string {
  return routes.map(formatRoute).join("\n\n");
}

/** One route's tree. */
export function formatRoute(route: CompiledRoute): string {
  const { tree } = route;
  // What the code enforces: "A + B" needed together, ", " between alternatives, "nothing" where none is needed.
  const security = operationSecurity(tree, "exact", route.dropsInheritedSecurity);
  const required = !security
    ? "none"
    : security.length === 0
      ? "public"
      : security.map((r) => Object.entries(r).map(([name, scopes]) => `${name} ${list(scopes)}`).join(" + ") || "nothing").join(", ");
  const head = [`${route.label} → ${tree.dependency.name}`, ...receives(tree), `security: ${required}`].join("   ");
  const lines = [head];
  const seen = new Set<string>();
  lines.push(...childLines(tree, "", seen));
  return lines.join("\n");
}

function childLines(node: DependantNode, indent: string, seen: Set<string>): string[] {
  const entries: { label: string; node?: DependantNode }[] = [
    ...node.children.map((child) => ({ label: describe(child, seen), node: child })),
    ...node.params.map(({ key, param }) => {
      const wire = param.wireName(key);
      return { label: `${key}: ${param.location}${wire === key ? "" : ` "${wire}"`}` };
    }),
  ];
  const lines: string[] = [];
  entries.forEach((entry, i) => {
    const last = i === entries.length - 1;
    lines.push(`${indent}${last ? "└─ " : "├─ "}${entry.label}`);
    if (entry.node && !entry.label.endsWith("(cached)")) lines.push(...childLines(entry.node, indent + (last ? "   " : "│  "), seen));
  });
  return lines;
}

function describe(node: DependantNode, seen: Set<string>): string {
  const parts = [`${node.key}: ${node.dependency.name}`];
  if (node.ownScopes.length > 0) parts.push(`adds ${list(node.ownScopes)}`);
  parts.push(...receives(node));
  if (node.scheme) {
    parts.push(`scheme ${schemeKind(node.scheme.model)}`);
    if (node.scheme.takesScopes) parts.push(`requires ${list(node.scopes)}`);
  }
  // A cached use runs once per request: later uses with the same key reuse the first one's result.
  const cached = node.useCache && seen.has(node.cacheKey);
  if (node.useCache) seen.add(node.cacheKey);
  return parts.join("   ") + (cached ? "   (cached)" : "");
}

function receives(node: DependantNode): string[] {
  return node.markers.some((marker) => marker.kind === "securityScopes") ? [`SecurityScopes ${list(node.scopes)}`] : [];
}

function schemeKind(model: SecuritySchemeObject): string {
  switch (model.type) {
    case "apiKey":
      return `apiKey in ${model.in} "${model.name}"`;
    case "http":
      return `http ${model.scheme}`;
    case "oauth2":
      return `oauth2 ${Object.keys(model.flows).join("+")}`;
    case "openIdConnect":
      return "openIdConnect";
  }
}

function list(scopes: readonly string[]): string {
  return `[${scopes.map((scope) => JSON.stringify(scope)).join(", ")}]`;
}
