import { afterAll } from "vitest";
import { RedisStore, type TokenStore } from "gatehouse/tokens";
import { REDIS_URL, redisPrefix, redisSkipReason, until } from "../support.ts";
import { runStoreContract } from "./store.contract.ts";

const skip = await redisSkipReason();
const { prefix, cleanup } = redisPrefix("contract");
afterAll(() => cleanup());
let n = 0;
const acceptUnsafe = ["appendonly", "maxmemory-policy"] as const;

/** A store whose subscription is live, so that the contract's announcements can be heard. */
async function ready(store: RedisStore): Promise<RedisStore> {
  await until(() => store.ping().then(() => true, () => false), 5000, "Redis to be reachable and subscribed");
  return store;
}

runStoreContract({
  name: "redis",
  // The machine's Redis keeps nothing on disk: accepted here, as a test may.
  makeStore: () => ready(new RedisStore(REDIS_URL, { prefix: `${prefix}${++n}:`, acceptUnsafe, settleMs: 0 })),
  reopen: (store: TokenStore) => ready(new RedisStore(REDIS_URL, { prefix: (store as RedisStore).prefix, acceptUnsafe, settleMs: 0 })),
  skip,
  realTime: true,
});
