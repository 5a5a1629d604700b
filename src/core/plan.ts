/**
 * @module
 * A route's tree compiled, once at start-up, into a flat list of steps: each dependency (per cache key)
 * and each parameter becomes one step writing one slot. Per request the solver runs the list in order;
 * it never walks the tree.
 */
import { FAILED, type RequestContext } from "./context.ts";
import { gatehouseError } from "./errors.ts";
import { paramReader } from "./params.ts";
import { SecurityScopes } from "./scopes.ts";
import type { Plan, Step } from "./steps.ts";
import { walk, type DependantNode } from "./tree.ts";
import { alternativesRunner } from "./try-alternatives.ts";

/** Where one argument of a dependency comes from. */
type Source =
  | { kind: "slot"; slot: number }
  | { kind: "const"; value: unknown }
  | { kind: "request" }
  | { kind: "response" }
  | { kind: "cleanup" };

/** Compile a resolved tree (see `buildTree`) into a plan. */
export function compilePlan(tree: DependantNode): Plan {
  const steps: Step[] = [];
  const bySlotKey = new Map<string, number>();
  let usesCleanup = false;

  const addStep = (step: Omit<Step, "slot">): number => {
    const slot = steps.length;
    steps.push({ ...step, slot });
    return slot;
  };

  const emit = (node: DependantNode): number => {
    if (node.useCache) {
      const cached = bySlotKey.get(node.cacheKey);
      if (cached !== undefined) return cached;
    }
    if (node.alternatives) {
      // Each alternative gets a plan (and a cache) of its own: it may never run.
      const plans = node.children.map(compilePlan);
      usesCleanup ||= plans.some((p) => p.usesCleanup);
      const run = alternativesRunner(plans, node.alternatives === "optional");
      const slot = addStep({ inputs: [], run });
      if (node.useCache) bySlotKey.set(node.cacheKey, slot);
      return slot;
    }
    // FastAPI's order: sub-dependencies first, then the node's own parameters.
    const keys: string[] = [];
    const sources: Source[] = [];
    for (const child of node.children) {
      const slot = emit(child);
      if (child.injected) {
        keys.push(child.key);
        sources.push({ kind: "slot", slot });
      }
    }
    for (const { key, param } of [...node.params].sort((a, b) => locationOrder[a.param.location] - locationOrder[b.param.location])) {
      const paramKey = `param|${param.location}|${param.wireName(key)}`;
      let slot = bySlotKey.get(paramKey);
      if (slot === undefined) {
        const read = paramReader(param, key);
        slot = addStep({ inputs: [], run: (ctx) => readParam(ctx, read) });
        bySlotKey.set(paramKey, slot);
      }
      keys.push(key);
      sources.push({ kind: "slot", slot });
    }
    for (const { key, kind } of node.markers) {
      keys.push(key);
      if (kind === "securityScopes") sources.push({ kind: "const", value: new SecurityScopes(node.scopes) });
      else sources.push({ kind });
      if (kind === "cleanup") usesCleanup = true;
    }
    const slot = addStep({
      inputs: sources.flatMap((s) => (s.kind === "slot" ? [s.slot] : [])),
      run: runnerOf(node, keys, sources),
    });
    if (node.useCache) bySlotKey.set(node.cacheKey, slot);
    return slot;
  };

  const rootSlot = emit(tree);
  return Object.freeze({ steps: Object.freeze(steps.slice(0, rootSlot)), root: steps[rootSlot]!, slots: steps.length, usesCleanup });
}

const locationOrder = { path: 0, query: 1, header: 2, cookie: 3, body: 4, form: 4 } as const;

function readParam(ctx: RequestContext, read: ReturnType<typeof paramReader>): unknown {
  const result = read(ctx.request);
  if (result.ok) return result.value;
  (ctx.issues ??= []).push(...result.issues);
  return FAILED;
}

/** How a dependency step runs: its function called with its argument object, built from the request's slots. */
function runnerOf(node: DependantNode, keys: readonly string[], sources: readonly Source[]): Step["run"] {
  const scheme = node.scheme;
  // A security scheme only reads the request: no argument object to build, and its refusal (no
  // credential) is returned, not thrown, for the plan to stop at.
  if (scheme && sources.length === 1 && sources[0]!.kind === "request") return (ctx) => scheme.read(ctx.request);
  const call = node.dependency.call;
  const argsOf = argumentBuilder(keys, sources);
  return (ctx) => call(argsOf(ctx));
}

/** Precompute how to build a dependency's argument object from the request's slots. */
function argumentBuilder(keys: readonly string[], sources: readonly Source[]): (ctx: RequestContext) => Record<string, unknown> {
  const n = keys.length;
  return (ctx) => {
    const args: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) {
      const source = sources[i]!;
      switch (source.kind) {
        case "slot":
          args[keys[i]!] = ctx.values[source.slot];
          break;
        case "const":
          args[keys[i]!] = source.value;
          break;
        case "request":
          args[keys[i]!] = ctx.request;
          break;
        case "response":
          args[keys[i]!] = ctx.response;
          break;
        case "cleanup":
          args[keys[i]!] = ctx.registerCleanup;
          break;
      }
    }
    return args;
  };
}

/**
 * Start-up check: every scope a `security()` use requires must be declared by an OAuth2 scheme of the
 * tree, when any of them declares a scope map at all. Catches `"itmes"` before the first request does.
 */
export function checkDeclaredScopes(tree: DependantNode, where: string): void {
  const nodes = [...walk(tree)];
  const declared = new Set<string>();
  const schemes: string[] = [];
  for (const node of nodes) {
    const names = node.scheme?.declaredScopes;
    if (names && names.length > 0) {
      names.forEach((name) => declared.add(name));
      schemes.push(node.scheme!.schemeName);
    }
  }
  if (declared.size === 0) return;
  for (const node of nodes) {
    for (const scope of node.ownScopes) {
      if (!declared.has(scope)) {
        throw gatehouseError(
          "GH_UNDECLARED_SCOPE",
          `gatehouse: ${where} requires scope "${scope}" via security(${node.dependency.name}, ${JSON.stringify(node.ownScopes)}), ` +
            `but its OAuth2 scheme${schemes.length > 1 ? "s" : ""} ${[...new Set(schemes)].join(", ")} declare${schemes.length > 1 ? "" : "s"} only: ` +
            [...declared].map((s) => `"${s}"`).join(", "),
        );
      }
    }
  }
}
