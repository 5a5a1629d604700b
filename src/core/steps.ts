/**
 * @module
 * What a compiled plan is made of, as data: `plan.ts` builds it once per route, `solve.ts` runs it per
 * request.
 */
import type { RequestContext } from "./context.ts";

/** One dependency (per cache key) or parameter of a route's tree: it writes one slot. */
export interface Step {
  readonly slot: number;
  /** Slots whose failure (a parameter that did not validate) means this step is skipped. */
  readonly inputs: readonly number[];
  /** The step's value, a promise of it, or a `Refusal` that ends the request. */
  readonly run: (ctx: RequestContext) => unknown;
}

/** A route's tree, flat: the steps in the order they run, then the handler. */
export interface Plan {
  readonly steps: readonly Step[];
  /** The last step, the route's handler; it runs only when no parameter failed. */
  readonly root: Step;
  readonly slots: number;
  readonly usesCleanup: boolean;
}
