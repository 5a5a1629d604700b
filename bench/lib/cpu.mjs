/**
 * @module
 * Which core runs what, and what a server spent. On a 2-core machine the load generator and the server under
 * test otherwise swap cores with each other and with whatever else runs, and that swapping, not the servers,
 * decides much of a round's req/s. Pinned, each has a core of its own; where pinning is impossible (no
 * `taskset`, one core) the bench runs as it is and says so.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";

const canPin = availableParallelism() >= 2 && spawnSync("taskset", ["--version"], { stdio: "ignore" }).status === 0;
const ticksPerSecond = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout) || 100;
const allCores = `0-${availableParallelism() - 1}`;

/** What {@link placeForThroughput} does here, for the bench's header. */
export const placement = canPin
  ? "throughput scenarios: load generator on CPU 0, server under test on CPU 1 (taskset); /token scenario unpinned"
  : "not pinned (needs 2 cores and taskset): generator and servers share the cores";

/** Pin every thread of `pid` to `cores` ("1", "0-1"). */
function pin(pid, cores) {
  if (canPin && pid !== undefined) spawnSync("taskset", ["-a", "-p", "-c", cores, String(pid)], { stdio: "ignore" });
}

/** Generator (this process) on CPU 0, every server on CPU 1: they take turns there, never at once. */
export function placeForThroughput(pids) {
  pin(process.pid, "0");
  for (const pid of pids) pin(pid, "1");
}

/** Every core for everyone: bcrypt's thread pool must have room beside the event loop. */
export function unpin(pids) {
  pin(process.pid, allCores);
  for (const pid of pids) pin(pid, allCores);
}

/** CPU seconds (user + system) that process `pid` has used so far; NaN where /proc does not say. */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return NaN;
  }
}
