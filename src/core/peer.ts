/**
 * @module
 * Optional packages (store drivers, ReDoc) are peer dependencies that an app installs only if it uses
 * them. They are loaded here, on first use, from wherever gatehouse itself is installed; a missing one is
 * a start-up error (`GH_MISSING_PEER`) that names the package and the command that installs it.
 */
import { createRequire } from "node:module";
import { gatehouseError } from "./errors.ts";

const require = createRequire(import.meta.url);

/**
 * Load an optional package, for `purpose` (a phrase naming what needs it, e.g. `GATEHOUSE_STORE "redis://…"`).
 * Synchronous, so that constructors stay synchronous: every driver gatehouse loads this way is CommonJS or
 * has a `require` entry.
 */
export function loadPeer<T>(name: string, purpose: string): T {
  try {
    return require(name) as T;
  } catch (error) {
    throw missingOr(error, name, purpose);
  }
}

/** The absolute path of a file inside an optional package (e.g. a bundle to serve). */
export function resolvePeer(specifier: string, name: string, purpose: string): string {
  try {
    return require.resolve(specifier);
  } catch (error) {
    throw missingOr(error, name, purpose);
  }
}

/** A missing package (not one of its own imports failing) becomes GH_MISSING_PEER; anything else stays as it is. */
function missingOr(error: unknown, name: string, purpose: string): unknown {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const missing = code === "MODULE_NOT_FOUND" && typeof message === "string" && [`'${name}'`, `'${name}/`].some((quoted) => message.startsWith(`Cannot find module ${quoted}`));
  if (!missing) return error;
  return gatehouseError("GH_MISSING_PEER", `gatehouse: ${purpose} needs the package "${name}", which is not installed: npm install ${name}`, { cause: error });
}
