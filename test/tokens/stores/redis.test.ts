import { afterAll } from "vitest";
import type { TokenStore } from "gatehouse/tokens";
import { RedisStore } from "gatehouse/tokens/redis";
import { MACHINE_REDIS, REDIS_URL, redisPrefix, redisSkipReason, until } from "../support.ts";
import { runStoreContract } from "./store.contract.ts";

const skip = await redisSkipReason();
const { prefix, cleanup } = redisPrefix("contract");
afterAll(() => cleanup());
let n = 0;

/** A store whose subscription is live, so that the contract's announcements can be heard. */
async function ready(store: RedisStore): Promise<RedisStore> {
  await until(() => store.ping().then(() => true, () => false), 5000, "Redis to be reachable and subscribed");
  return store;
}

runStoreContract({
  name: "redis",
  makeStore: () => ready(new RedisStore(REDIS_URL, { prefix: `${prefix}${++n}:`, ...MACHINE_REDIS })),
  reopen: (store: TokenStore) => ready(new RedisStore(REDIS_URL, { prefix: (store as RedisStore).prefix, ...MACHINE_REDIS })),
  skip,
  realTime: true,
});
