/**
 * @module
 * Runs a compiled plan for one request. Parameters that fail validation are collected, the steps that
 * need them are skipped, and the handler runs only if nothing failed; otherwise FastAPI's 422.
 */
import { FAILED, type RequestContext } from "./context.ts";
import { RequestValidationError } from "./errors.ts";
import type { Plan, Step } from "./plan.ts";

/** Run the plan's steps in order and return the handler's result. */
export async function solve(plan: Plan, ctx: RequestContext): Promise<unknown> {
  const { values } = ctx;
  for (const step of plan.steps) {
    if (ctx.issues !== null && hasFailedInput(step, values)) {
      values[step.slot] = FAILED;
      continue;
    }
    let value = step.run(ctx);
    if (isThenable(value)) value = await value;
    values[step.slot] = value;
  }
  if (ctx.issues !== null) throw new RequestValidationError(ctx.issues);
  const result = plan.root.run(ctx);
  return isThenable(result) ? await result : result;
}

function hasFailedInput(step: Step, values: unknown[]): boolean {
  for (const slot of step.inputs) if (values[slot] === FAILED) return true;
  return false;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === "object" && typeof (value as PromiseLike<unknown>).then === "function";
}
