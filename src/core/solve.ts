/**
 * @module
 * Runs a compiled plan for one request. Parameters that fail validation are collected, the steps that
 * need them are skipped, and the handler runs only if nothing failed; otherwise FastAPI's 422.
 *
 * Steps run synchronously until one returns a promise; only from there on is the rest awaited. A plan of
 * synchronous steps thus answers without a single promise. A step whose value is a {@link Refusal} (a
 * security scheme that found no credential) ends the plan: the refusal is its result, no exception thrown.
 */
import { FAILED, type RequestContext } from "./context.ts";
import { RequestValidationError } from "./errors.ts";
import { Refusal } from "./refusal.ts";
import type { Plan, Step } from "./steps.ts";

/** Run the plan's steps in order: the handler's result or a {@link Refusal}, or a promise of either once a step was asynchronous. */
export function solve(plan: Plan, ctx: RequestContext): unknown {
  const { steps } = plan;
  for (let i = 0; i < steps.length; i++) {
    const value = runStep(steps[i]!, ctx);
    if (isThenable(value)) return solveFrom(plan, ctx, i, value);
    if (value instanceof Refusal) return value;
    ctx.values[steps[i]!.slot] = value;
  }
  return runRoot(plan, ctx);
}

/** The rest of {@link solve} once step `index` returned a promise. */
async function solveFrom(plan: Plan, ctx: RequestContext, index: number, pending: PromiseLike<unknown>): Promise<unknown> {
  const { steps } = plan;
  let value: unknown = pending;
  for (let i = index; i < steps.length; i++) {
    if (i > index) value = runStep(steps[i]!, ctx);
    if (isThenable(value)) value = await value;
    if (value instanceof Refusal) return value;
    ctx.values[steps[i]!.slot] = value;
  }
  // Awaited here rather than returned: an async function that returns a promise adopts it two ticks later.
  const result = runRoot(plan, ctx);
  return isThenable(result) ? await result : result;
}

/** A step's value, or FAILED without running it when a parameter it needs did not validate. */
function runStep(step: Step, ctx: RequestContext): unknown {
  return ctx.issues !== null && hasFailedInput(step, ctx.values) ? FAILED : step.run(ctx);
}

function runRoot(plan: Plan, ctx: RequestContext): unknown {
  if (ctx.issues !== null) throw new RequestValidationError(ctx.issues);
  return plan.root.run(ctx);
}

function hasFailedInput(step: Step, values: unknown[]): boolean {
  for (const slot of step.inputs) if (values[slot] === FAILED) return true;
  return false;
}

/** Whether a value is a promise (or any thenable) to wait for. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === "object" && typeof (value as PromiseLike<unknown>).then === "function";
}
