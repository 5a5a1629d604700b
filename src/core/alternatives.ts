/**
 * @module
 * `anyOf(a, b, …)` and `optional(a)`: credentials tried in order, lazily. Each alternative is compiled into
 * a plan of its own (`try-alternatives.ts`) and runs only if the ones before it found no credential or
 * refused it, so no verification is wasted; the OpenAPI document lists them as alternatives, which is what
 * the code enforces.
 */
import { asUse, Dependency, type Use } from "./dependency.ts";
import { gatehouseError } from "./errors.ts";
import type { ScopesOf, ValueOf } from "./types.ts";

type Alternative = Dependency<unknown, string> | Use<unknown, string>;

/** A dependency whose children are tried in order instead of all run. */
export class Alternatives<T, S extends string = never> extends Dependency<T, S> {
  constructor(
    readonly alternatives: readonly Use<unknown, string>[],
    /** `optional`: no credential at all injects `undefined` instead of failing. */
    readonly optional: boolean,
    name: string,
  ) {
    super({}, () => {
      throw gatehouseError("GH_INTERNAL", { detail: "alternatives run through their compiled plans" });
    }, { name });
  }
}

/**
 * The first credential that works: tries each dependency in order and injects the first result that is
 * neither an error nor `undefined`. With none present, a 401 carrying every alternative's challenge.
 *
 * @example
 * const caller = anyOf(apiKeyUser, security(tokenUser, ["items"]));
 * app.get("/items/", { needs: { caller } }, ({ caller }) => …);
 */
export function anyOf<const A extends readonly [Alternative, ...Alternative[]]>(
  ...alternatives: A
): Dependency<NonNullable<ValueOf<A[number]>>, ScopesOf<A[number]>> {
  if (alternatives.length === 0) throw gatehouseError("GH_INVALID_OPTION", "gatehouse: anyOf() needs at least one dependency");
  const uses = alternatives.map((item) => asUse(item)!);
  return new Alternatives(uses, false, `anyOf(${uses.map((u) => u.dependency.name).join(", ")})`);
}

/**
 * A credential the route can do without: `undefined` when it is absent, the usual error when it is
 * present but wrong. Documented with `{}` among the route's security alternatives.
 */
export function optional<A extends Alternative>(dependency: A): Dependency<NonNullable<ValueOf<A>> | undefined, ScopesOf<A>> {
  const use = asUse(dependency)!;
  return new Alternatives([use], true, `optional(${use.dependency.name})`);
}
