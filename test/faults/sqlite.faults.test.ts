/** The fault suite on SQLite: several processes on one real file in a temp dir. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { holdSqliteLock } from "../support/sqlite-locker.ts";
import { runFaultSuite } from "./fault.suite.ts";

runFaultSuite({
  name: "sqlite",
  skip: false,
  bound: { propagationMs: 100 },
  why: {
    silence: "no connection to silence: each process polls the file itself, and a failed poll is already a 503",
    restartEmpty: "a file does not restart empty; a missing one is never recreated on recovery (fileMustExist)",
    outage: "a file does not go away under an open handle; test/tokens/sqlite.test.ts pulls the plug in-process",
  },
  async backend() {
    const dir = mkdtempSync(join(tmpdir(), "gatehouse-faults-sqlite-"));
    const path = join(dir, "tokens.db");
    return {
      store: { url: `sqlite:${path}`, options: { sqlite: { pollMs: 20, lockWaitMs: 1000 } } },
      lock: () => holdSqliteLock(path),
      async close() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
});
