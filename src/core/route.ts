/**
 * @module
 * A route made ready to serve, engine-neutral: its tree resolved and checked, its plan compiled, and the
 * function that turns a handler's result into the response body.
 */
import { asUse, Dependency, type DependencyLike } from "./dependency.ts";
import type { ErrorStyle } from "./error-style.ts";
import { gatehouseError, ResponseValidationError } from "./errors.ts";
import { checkDeclaredScopes, compilePlan } from "./plan.ts";
import type { Plan } from "./steps.ts";
import type { RouteDefinition } from "./router.ts";
import { buildTree, walk, type DependantNode } from "./tree.ts";
import { validate } from "./validation.ts";

export interface CompiledRoute {
  readonly definition: RouteDefinition;
  /** `GET /users/me/`, for messages. */
  readonly label: string;
  readonly tree: DependantNode;
  readonly plan: Plan;
  /** The handler's result → what is sent: filtered through the response schema when there is one. */
  readonly toBody: (result: unknown) => unknown;
  readonly status: number;
  /** A public route that dropped inherited security: documented as `security: []`. */
  readonly dropsInheritedSecurity: boolean;
  readonly errorStyle: ErrorStyle;
}

/** Resolve, check and compile a route. App-level dependencies come first, as in FastAPI. */
export function compileRoute(definition: RouteDefinition, appDependencies: readonly DependencyLike[] = []): CompiledRoute {
  const label = `${definition.method} ${definition.path}`;
  const name = definition.config.name ?? (definition.handler.name || label);
  const root = new Dependency(definition.config.needs ?? {}, definition.handler, { name });
  const { dependencies, dropsInheritedSecurity } = routeDependencies(definition, appDependencies);
  const tree = buildTree(root, dependencies);
  checkDeclaredScopes(tree, label);
  checkPathParams(tree, definition.path, label);
  const schema = definition.config.response;
  const toBody = schema
    ? (result: unknown) => {
        // Like response_model: validation strips every field the schema does not declare.
        const checked = validate(schema, result, ["response"]);
        if (!checked.ok) throw new ResponseValidationError(checked.issues);
        return checked.value;
      }
    : (result: unknown) => result;
  return { definition, label, tree, plan: compilePlan(tree), toBody, status: definition.config.status ?? 200, dropsInheritedSecurity, errorStyle: definition.config.errorStyle ?? "fastapi" };
}

/**
 * Start-up check: every `path()` parameter in the tree names a `{segment}` of the route's path; otherwise
 * every request would fail validation (a 422 that no client can fix).
 */
function checkPathParams(tree: DependantNode, path: string, where: string): void {
  const segments = new Set([...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!));
  for (const node of walk(tree)) {
    for (const { key, param } of node.params) {
      const name = param.location === "path" ? param.wireName(key) : undefined;
      if (name !== undefined && !segments.has(name)) {
        const has = segments.size > 0 ? `its path has only ${[...segments].map((s) => `{${s}}`).join(", ")}` : "its path has no parameter";
        throw gatehouseError("GH_INVALID_ROUTE", `gatehouse: ${where}: path parameter "${name}" (in ${node.dependency.name}) is not in the path: declare it as {${name}} (${has})`);
      }
    }
  }
}

/** App-level first, then router-level, then the route's own; a public route drops the inherited security. */
function routeDependencies(definition: RouteDefinition, appDependencies: readonly DependencyLike[]) {
  const all = [...appDependencies, ...definition.dependencies];
  if (!definition.config.public) return { dependencies: all, dropsInheritedSecurity: false };
  const own = definition.config.dependencies?.length ?? 0;
  const inherited = all.slice(0, all.length - own);
  const kept = inherited.filter((dep) => !involvesScheme(dep));
  return { dependencies: [...kept, ...all.slice(all.length - own)], dropsInheritedSecurity: kept.length < inherited.length };
}

function involvesScheme(dep: DependencyLike): boolean {
  for (const node of walk(buildTree(asUse(dep)!.dependency))) if (node.scheme) return true;
  return false;
}
