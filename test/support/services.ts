/**
 * Whether the binaries a fault test needs are installed. Outside CI a missing one skips the test with a
 * printed reason; in CI (`GATEHOUSE_CI=1`) it never skips, so the test fails, as a missing service must.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { inCI } from "../helpers.ts";

/** Where initdb, pg_ctl and postgres are: `$GATEHOUSE_PG_BIN`, else `pg_config --bindir`, else Debian's PostgreSQL 15. */
export const PG_BIN = process.env.GATEHOUSE_PG_BIN ?? (spawnSync("pg_config", ["--bindir"], { encoding: "utf8" }).stdout?.trim() || "/usr/lib/postgresql/15/bin");

/** `false` when every binary answers `--version`; otherwise the reason to skip (never in CI). */
export function missingBinaries(what: string, binaries: readonly string[]): string | false {
  const missing = binaries.filter((binary) => spawnSync(binary, ["--version"]).status !== 0);
  if (missing.length === 0 || inCI) return false;
  const reason = `${missing.join(", ")} not installed, so no ${what} can be started, stopped and faulted`;
  console.warn(`skipping: ${reason}`);
  return reason;
}

export const redisServerSkip = () => missingBinaries("Redis server", ["redis-server"]);
export const postgresServerSkip = () => missingBinaries("PostgreSQL server", [join(PG_BIN, "initdb"), join(PG_BIN, "pg_ctl")]);
