/**
 * Another process holding a SQLite file's write lock (`BEGIN IMMEDIATE` with a write, not committed), as a
 * backup job, a migration or a stuck instance would. Plain node, no tsx: it starts in a blink.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { waitFor } from "./ports.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));

const LOCKER = `
import Database from "better-sqlite3";
const db = new Database(process.argv[1]);
db.pragma("journal_mode = WAL");
db.exec("BEGIN IMMEDIATE");
db.prepare("INSERT OR REPLACE INTO store_meta (key, value) VALUES ('locker', ?)").run(String(process.pid));
console.log("locked");
process.stdin.resume();
process.stdin.on("end", () => { db.exec("ROLLBACK"); db.close(); process.exit(0); });
`;

/** Resolves once the lock is held; the function it resolves to releases it (and ends the process). */
export async function holdSqliteLock(path: string): Promise<() => Promise<void>> {
  const child = spawn(process.execPath, ["--input-type=module", "-e", LOCKER, path], { cwd: root, stdio: ["pipe", "pipe", "inherit"] });
  let locked = false;
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (locked ||= chunk.includes("locked")));
  await waitFor(() => {
    if (child.exitCode !== null) throw new Error(`the locker exited with ${child.exitCode}`);
    return locked;
  }, 10_000, "the other process to hold the lock");
  return async () => {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.stdin!.end();
    await exited;
  };
}
