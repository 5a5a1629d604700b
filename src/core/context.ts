/**
 * @module
 * The per-request state of one route's plan: one slot per planned step, the validation issues met so far,
 * the response's status and headers, and the cleanups registered.
 */
import type { ValidationIssue } from "./errors.ts";
import type { RegisterCleanup, ResponseView } from "./markers.ts";
import type { RequestView } from "./request.ts";

/** Marks a slot whose step was skipped because its input failed validation. */
export const FAILED: unique symbol = Symbol("gatehouse.failed");

export class RequestContext {
  readonly values: unknown[];
  issues: ValidationIssue[] | null = null;
  cleanups: (() => unknown)[] | null = null;
  #response: ResponseView | undefined;
  #register: RegisterCleanup | undefined;

  constructor(
    readonly request: RequestView,
    slots: number,
    /** The request's main context, when this one runs an alternative (`anyOf`) inside it. */
    readonly parent?: RequestContext,
  ) {
    this.values = new Array(slots);
  }

  /** Created on first use: most routes never touch it. */
  get response(): ResponseView {
    return this.parent ? this.parent.response : (this.#response ??= { headers: {} });
  }

  get hasResponse(): boolean {
    return this.#response !== undefined;
  }

  get registerCleanup(): RegisterCleanup {
    if (this.parent) return this.parent.registerCleanup;
    return (this.#register ??= (cleanup) => {
      (this.cleanups ??= []).push(cleanup);
    });
  }

  /** Runs the registered cleanups, last registered first; a failing cleanup does not stop the others. */
  async runCleanups(onError: (error: unknown) => void): Promise<void> {
    const cleanups = this.cleanups;
    if (!cleanups) return;
    this.cleanups = null;
    for (let i = cleanups.length - 1; i >= 0; i--) {
      try {
        await cleanups[i]!();
      } catch (error) {
        onError(error);
      }
    }
  }
}
