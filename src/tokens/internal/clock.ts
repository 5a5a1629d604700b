/**
 * @module
 * Reading the injectable clock (`Clock`, in `types.ts`): every time in the token layer is epoch ms.
 */
import type { Clock } from "../types.ts";

/** The clock's reading in epoch milliseconds. */
export function millis(clock: Clock): number {
  const now = clock();
  return typeof now === "number" ? now : now.getTime();
}

export const systemClock: Clock = Date.now;
