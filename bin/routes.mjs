/**
 * @module
 * The child process of `gatehouse routes`: imports the module, starts its app without listening, prints
 * `app.securityTree()`, and exits, even if the module left other handles (a database, a timer) open.
 */
import { pathToFileURL } from "node:url";

const file = process.argv[2];
const exported = await import(pathToFileURL(file).href);
const app = exported.app ?? exported.default;
if (!app || typeof app.ready !== "function" || typeof app.securityTree !== "function") {
  console.error(`gatehouse: ${file} exports no gatehouse app: export it as \`app\` or as the default export`);
  process.exit(2);
}
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
