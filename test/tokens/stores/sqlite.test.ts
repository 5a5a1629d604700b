import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteStore, type TokenStore } from "gatehouse/tokens";
import { runStoreContract } from "./store.contract.ts";

// A real file in a temp dir: what is on disk is what the contract checks.
const dir = mkdtempSync(join(tmpdir(), "gatehouse-sqlite-"));
let n = 0;

runStoreContract({
  name: "sqlite",
  makeStore: (now) => new SqliteStore(join(dir, `store-${++n}.db`), { now, pruneIntervalMs: 0 }),
  reopen: (store: TokenStore, now) => new SqliteStore((store as SqliteStore).path, { now, pruneIntervalMs: 0 }),
  skip: false,
});
