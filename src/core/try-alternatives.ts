/**
 * @module
 * The step a compiled `anyOf`/`optional` node runs: each alternative's plan in turn, in a context of its
 * own, until one yields a credential. "No credential" (a scheme's refusal, a `NotAuthenticatedError`)
 * and "credential refused" (any other 401/403) move on to the next; anything else stops there.
 */
import { RequestContext } from "./context.ts";
import { HTTPException, NotAuthenticatedError } from "./errors.ts";
import { Refusal } from "./refusal.ts";
import { solve } from "./solve.ts";
import type { Plan } from "./steps.ts";

/** The step that runs a compiled `Alternatives` node. */
export function alternativesRunner(plans: readonly Plan[], optional: boolean): (ctx: RequestContext) => Promise<unknown> {
  return async (ctx) => {
    const challenges: string[] = [];
    let refusal: HTTPException | undefined;
    for (const plan of plans) {
      let error: unknown;
      try {
        const value = await solve(plan, new RequestContext(ctx.request, plan.slots, ctx));
        if (!(value instanceof Refusal)) {
          if (value !== undefined && value !== null) return value;
          continue;
        }
        error = value.error;
      } catch (thrown) {
        error = thrown;
      }
      // A 503, a bug: not a reason to try another credential.
      if (!(error instanceof HTTPException) || (error.status !== 401 && error.status !== 403)) throw error;
      if (error instanceof NotAuthenticatedError) challenges.push(error.headers?.["WWW-Authenticate"] ?? "");
      else refusal ??= error;
    }
    if (refusal) throw refusal;
    if (optional) return undefined;
    throw new NotAuthenticatedError([...new Set(challenges.filter(Boolean))].join(", ") || "Bearer");
  };
}
