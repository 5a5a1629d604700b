/**
 * @module
 * The child process of `gatehouse routes`: imports the module, starts its app without listening (a
 * router is first included into an app of its own), prints `app.securityTree()`, and exits, even if the
 * module left other handles (a database, a timer) open.
 */
import { pathToFileURL } from "node:url";

const file = process.argv[2];
const exported = await import(pathToFileURL(file).href);
const found = exported.app ?? exported.router ?? exported.default;
const isApp = typeof found?.ready === "function" && typeof found?.securityTree === "function";
const isRouter = typeof found?.routes === "function" && typeof found?.include === "function";
if (!isApp && !isRouter) {
  console.error(`gatehouse: ${file} exports no gatehouse app or router: export it as \`app\`, \`router\` or as the default export`);
  process.exit(2);
}
const app = isApp ? found : await appOf(found);
try {
  await app.ready();
  process.stdout.write(`${app.securityTree()}\n`);
} catch (error) {
  console.error(`gatehouse: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await app.close?.();
}
process.exit();

/**
 * An app serving `router`, from the same gatehouse the module imported (the package's own name resolves
 * to it, as it does for the module). Printing a tree waits for no token store.
 */
async function appOf(router) {
  const { createApp } = await import("gatehouse");
  return createApp({ openapiUrl: null, startDegraded: true, startupTimeoutMs: 1 }).include(router);
}
