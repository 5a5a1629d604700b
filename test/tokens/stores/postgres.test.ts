import { afterAll } from "vitest";
import { type TokenStore } from "gatehouse/tokens";
import { PostgresStore } from "gatehouse/tokens/postgres";
import { postgresSchema, postgresSkipReason, POSTGRES_URL, until } from "../support.ts";
import { runStoreContract } from "./store.contract.ts";

// The machine's PostgreSQL (database `test`), a schema of this run's own per store, all dropped afterwards.
const skip = await postgresSkipReason();
const { schema, cleanup } = postgresSchema("contract");
afterAll(() => cleanup());
let n = 0;

/** A store whose LISTEN connection is live, so that the contract's announcements can be heard. */
async function ready(store: PostgresStore): Promise<PostgresStore> {
  await until(() => store.ping().then(() => true, () => false), 10_000, "PostgreSQL to be reachable and listening");
  return store;
}

runStoreContract({
  name: "postgres",
  makeStore: (now) => ready(new PostgresStore(POSTGRES_URL, { schema: `${schema}_${++n}`, now, pruneIntervalMs: 0 })),
  reopen: (store: TokenStore, now) => ready(new PostgresStore(POSTGRES_URL, { schema: (store as PostgresStore).schema, now, pruneIntervalMs: 0 })),
  skip,
});
