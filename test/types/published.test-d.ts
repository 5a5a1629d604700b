/**
 * The types the package publishes for its optional peers: typed without the peer's own types where the
 * peer may be absent (the SQLite handle, keys as jose's JWK), by the peer where its entry point needs it
 * (`gatehouse/tokens/redis`, ioredis's options); never `any`.
 */
import type { RedisOptions } from "ioredis";
import type { JWK } from "jose";
import { describe, expectTypeOf, it } from "vitest";
import type { KeyOptions, SqliteDatabase, SqliteStore } from "gatehouse/tokens";
import type { RedisStoreOptions } from "gatehouse/tokens/redis";

describe("published types", () => {
  it("SqliteStore.database is a handle of gatehouse's own type, not any", () => {
    expectTypeOf<SqliteStore["database"]>().not.toBeAny();
    expectTypeOf<SqliteStore["database"]>().toEqualTypeOf<SqliteDatabase>();
    expectTypeOf<ReturnType<SqliteDatabase["backup"]>>().toEqualTypeOf<Promise<unknown>>();
  });

  it("keys take jose's JWK, not node:crypto's JsonWebKey", () => {
    expectTypeOf<JWK>().toExtend<NonNullable<KeyOptions["privateKey"]>>();
    expectTypeOf<KeyOptions["publicKey"]>().not.toBeAny();
  });

  it("RedisStore's options are ioredis's own", () => {
    expectTypeOf<NonNullable<RedisStoreOptions["redis"]>>().toEqualTypeOf<RedisOptions>();
  });
});
