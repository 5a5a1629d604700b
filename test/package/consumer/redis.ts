/** The consumer test's check that `gatehouse/tokens/redis` compiles where ioredis is installed, typed by ioredis. */
import { RedisStore, type RedisStoreOptions } from "gatehouse/tokens/redis";

const options: RedisStoreOptions = { prefix: "consumer:", redis: { connectTimeout: 500, lazyConnect: true } };
// @ts-expect-error ioredis has no such option: the options are ioredis's own type, not `any`
const wrong: RedisStoreOptions = { redis: { connectTimeOut: 500 } };
export const make = (url: string): RedisStore => new RedisStore(url, options);
void wrong;
