/**
 * @module
 * The dependency tree of a route, resolved once at start-up into frozen, data-only nodes (FastAPI's
 * `Dependant`). Both the plan compiler and the OpenAPI builder read it; nothing walks it per request.
 */
import { gatehouseError } from "./errors.ts";
import { Alternatives } from "./alternatives.ts";
import { asUse, Dependency, Use, type DependencyLike } from "./dependency.ts";
import { Param } from "./params.ts";
import { mergeScopes, scopeKey, SecurityScopes } from "./scopes.ts";
import type { Needs, NeedsInput } from "./types.ts";
import { isSecurityScheme, type SecurityBase } from "../security/base.ts";

export type MarkerKind = "request" | "response" | "cleanup" | "securityScopes";

export interface ParamNeed {
  readonly key: string;
  readonly param: Param<unknown>;
}

/** One use of a dependency at one place in a route's tree. */
export interface DependantNode {
  /** The key under which the parent receives this node's result (`dependencies[0]` for unused ones). */
  readonly key: string;
  readonly dependency: Dependency<unknown, string>;
  /** Scopes this use requires (`security(dep, scopes)`). */
  readonly ownScopes: readonly string[];
  /** The ordered union from the route down to here: what `SecurityScopes` holds at this node. */
  readonly scopes: readonly string[];
  readonly useCache: boolean;
  /** Child uses, whose results this node receives (or not, for `dependencies: [...]`). */
  readonly children: readonly DependantNode[];
  readonly params: readonly ParamNeed[];
  readonly markers: readonly { readonly key: string; readonly kind: MarkerKind }[];
  /** It, or anything below it, declares scopes, asks for `SecurityScopes`, or is a security scheme. */
  readonly usesScopes: boolean;
  /** Equal keys share one result per request. */
  readonly cacheKey: string;
  readonly scheme: SecurityBase<unknown, string> | undefined;
  /** Whether the parent receives the result (false for `dependencies: [...]` and alternatives). */
  readonly injected: boolean;
  /** Set for `anyOf`/`optional`: the children are alternatives, tried in order, not all run. */
  readonly alternatives: "anyOf" | "optional" | undefined;
}

const ids = new WeakMap<object, number>();
let nextId = 1;
const resolvedNeeds = new WeakMap<Dependency<unknown, string>, Needs>();

function idOf(value: object): number {
  let id = ids.get(value);
  if (id === undefined) ids.set(value, (id = nextId++));
  return id;
}

function needsOf(dep: Dependency<unknown, string>): Needs {
  let needs = resolvedNeeds.get(dep);
  if (!needs) {
    const input = dep.needs as NeedsInput<Needs>;
    needs = typeof input === "function" ? input() : input;
    resolvedNeeds.set(dep, needs);
  }
  return needs;
}

/**
 * Resolve a dependency's tree. Throws a `TypeError` naming the path on a cycle or on something in
 * `needs` that cannot be injected.
 */
export function buildTree(
  dependency: Dependency<unknown, string>,
  extra: readonly DependencyLike[] = [],
): DependantNode {
  return build(new Use(dependency, [], false), "", [], [], extra, true);
}

function build(
  use: Use<unknown, string>,
  key: string,
  parentScopes: readonly string[],
  stack: Dependency<unknown, string>[],
  extra: readonly DependencyLike[],
  injected: boolean,
): DependantNode {
  const dep = use.dependency;
  if (stack.includes(dep)) {
    const cycle = [...stack.slice(stack.indexOf(dep)), dep].map((d) => d.name).join(" → ");
    throw gatehouseError("GH_DEPENDENCY_CYCLE", `gatehouse: dependency cycle: ${cycle}`);
  }
  const scopes = mergeScopes(parentScopes, use.scopes);
  const path = [...stack, dep];
  const children: DependantNode[] = [];
  const params: ParamNeed[] = [];
  const markers: { key: string; kind: MarkerKind }[] = [];

  if (dep instanceof Alternatives) {
    dep.alternatives.forEach((alt, i) => children.push(build(alt, `alternatives[${i}]`, scopes, path, [], false)));
  }
  extra.forEach((item, i) => {
    const child = asUse(item);
    if (!child) throw gatehouseError("GH_NOT_INJECTABLE", `gatehouse: ${dep.name}: dependencies[${i}] is not a dependency, depends() or security()`);
    children.push(build(child, `dependencies[${i}]`, scopes, path, [], false));
  });
  for (const [name, item] of Object.entries(needsOf(dep))) {
    const child = asUse(item);
    if (child) children.push(build(child, name, scopes, path, [], true));
    else if (item instanceof Param) params.push({ key: name, param: item });
    else if (item === SecurityScopes) markers.push({ key: name, kind: "securityScopes" });
    else if (isMarker(item)) markers.push({ key: name, kind: item.kind });
    else throw gatehouseError("GH_NOT_INJECTABLE", `gatehouse: ${path.map((d) => d.name).join(" → ")}: needs.${name} is not something gatehouse can inject`);
  }

  const scheme = isSecurityScheme(dep) ? dep : undefined;
  const usesScopes =
    use.scopes.length > 0 || scheme !== undefined || markers.some((m) => m.kind === "securityScopes") || children.some((c) => c.usesScopes);
  return Object.freeze({
    key,
    dependency: dep,
    ownScopes: use.scopes,
    scopes,
    useCache: use.useCache,
    children: Object.freeze(children),
    params: Object.freeze(params),
    markers: Object.freeze(markers),
    usesScopes,
    cacheKey: usesScopes ? `${idOf(dep)}|${scopeKey(scopes)}` : `${idOf(dep)}`,
    scheme,
    injected,
    alternatives: dep instanceof Alternatives ? (dep.optional ? "optional" : "anyOf") : undefined,
  });
}

function isMarker(item: unknown): item is { kind: Exclude<MarkerKind, "securityScopes"> } {
  const kind = (item as { kind?: unknown } | null)?.kind;
  return kind === "request" || kind === "response" || kind === "cleanup";
}

/** Every node of a tree, parents before children. */
export function* walk(node: DependantNode): Generator<DependantNode> {
  yield node;
  for (const child of node.children) yield* walk(child);
}
