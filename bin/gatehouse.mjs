#!/usr/bin/env node
/**
 * @module
 * The `gatehouse` command. `gatehouse routes <module>` prints the security tree of every route of the app
 * or router that a module exports (as `app`, `router`, or its default export): route → dependency →
 * sub-dependency, the scopes each use adds, the `SecurityScopes` each receives, the scheme at the leaf.
 * TypeScript modules are loaded through tsx, in a child process so that the loader is registered before
 * the module is read.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

const USAGE = `usage: gatehouse routes <module>

  Print the security tree of every route of the app or router that <module>
  exports (export \`app\`, \`router\`, or a default export). .ts modules are
  loaded with tsx.`;

const [command, target, ...extra] = process.argv.slice(2);

if (command === "--help" || command === "-h" || command === "help") {
  console.log(USAGE);
  process.exit(0);
}
if (command !== "routes" || !target || extra.length > 0) {
  console.error(command === undefined || command === "routes" ? USAGE : `gatehouse: unknown command "${command}"\n\n${USAGE}`);
  process.exit(2);
}
const file = resolve(target);
if (!existsSync(file)) {
  console.error(`gatehouse: no such module: ${target}`);
  process.exit(2);
}

const loader = fileURLToPath(new URL("./routes.mjs", import.meta.url));
const nodeArgs = /\.[cm]?tsx?$/.test(file) ? ["--import", tsxLoader()] : [];
const child = spawnSync(process.execPath, [...nodeArgs, loader, file], {
  stdio: "inherit",
  // The app's own logger would write start-up lines between the tree's.
  env: { GATEHOUSE_LOG_LEVEL: "silent", ...process.env },
});
process.exit(child.status ?? 1);

/** tsx next to gatehouse, else the one the current project installs (Node resolves `--import` from the cwd). */
function tsxLoader() {
  try {
    return import.meta.resolve("tsx");
  } catch {
    return "tsx";
  }
}
