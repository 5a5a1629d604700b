/** Measuring what an instance answers over time: polls, percentiles, and a probe of the event loop. */
import { performance } from "node:perf_hooks";
import type { Answer, Instance } from "../support/instance.ts";

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The p-th percentile (nearest rank) of `values`. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/** Poll `ask` until `done` holds or `timeoutMs` passes; every answer is kept with its time since the start. */
export async function pollAnswers(ask: () => Promise<Answer>, done: (answer: Answer) => boolean, timeoutMs: number): Promise<{ answers: { at: number; answer: Answer }[]; last: Answer }> {
  const started = performance.now();
  const answers: { at: number; answer: Answer }[] = [];
  for (;;) {
    const answer = await ask();
    answers.push({ at: performance.now() - started, answer });
    if (done(answer) || performance.now() - started > timeoutMs) return { answers, last: answer };
    await sleep(2);
  }
}

/** A revoked token's answer: RFC 6750's 401 `invalid_token`. */
export const refused = (answer: Answer) => answer.status === 401 && answer.headers.get("www-authenticate") === 'Bearer error="invalid_token"';

/** The fail-closed answer: the catalog's 503 with `Retry-After`. */
export const unavailable = (answer: Answer) =>
  answer.status === 503 &&
  answer.headers.get("retry-after") === "1" &&
  JSON.stringify(answer.body) === JSON.stringify({ detail: "Token store unavailable: revocations cannot be checked right now; try again shortly" });

/**
 * While `during` runs, ask `instance` something that needs no store (the 401 path) every 10 ms and
 * return the slowest answer's time: a frozen event loop shows as one long wait.
 */
export async function slowestAnswerDuring<T>(instance: Instance, during: () => Promise<T>): Promise<{ result: T; slowestMs: number }> {
  let running = true;
  let slowestMs = 0;
  const probe = (async () => {
    while (running) {
      const started = performance.now();
      await instance.request("/items/");
      slowestMs = Math.max(slowestMs, performance.now() - started);
      await sleep(10);
    }
  })();
  try {
    const result = await during();
    running = false;
    await probe;
    return { result, slowestMs };
  } finally {
    running = false;
  }
}
