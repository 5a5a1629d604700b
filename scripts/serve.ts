/**
 * Serves `examples/NAME.ts` (default `seed`) at `$HOST` (default 127.0.0.1) and `$PORT` (default 8000).
 * `npm start` runs the seed; `npm run example -- NAME` any other example.
 *
 * SIGTERM or SIGINT drains: no new connections, requests in flight finish, then the process exits — after
 * `$GATEHOUSE_DRAIN_MS` (default 5 000) at the latest. npm does not pass a SIGTERM it gets on to the
 * script, so the server also drains when its parent process goes away: `npm start` never leaves an
 * orphan serving.
 */
import { readdirSync } from "node:fs";
import type { App } from "gatehouse";

const name = process.argv[2] ?? "seed";
const examples = readdirSync(new URL("../examples/", import.meta.url)).filter((f) => f.endsWith(".ts")).map((f) => f.slice(0, -3));
if (!examples.includes(name)) {
  console.error(`no example named "${name}"; there are: ${examples.join(", ")}`);
  process.exit(2);
}
const example = (await import(`../examples/${name}.ts`)) as { app: App; tokens?: { ready(): Promise<void> } };
const { app } = example;
// A store refused by configuration (GH_STORE_UNSAFE) stops the server, with the message naming the setting;
// one merely unreachable does not (requests answer 503 until it is back).
example.tokens?.ready().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
const host = process.env.HOST ?? "127.0.0.1";
const port = Number(process.env.PORT ?? 8000);
// With PORT=0 the OS picks the port: print the address the server really has.
const address = await app.listen({ host, port });
console.log(`gatehouse example "${name}" on ${address} (docs at /docs), pid ${process.pid}`);

const drainMs = Number(process.env.GATEHOUSE_DRAIN_MS ?? 5000);
let closing = false;
function drain(why: string): void {
  if (closing) return;
  closing = true;
  console.log(`gatehouse: ${why}: draining for at most ${drainMs} ms`);
  setTimeout(() => process.exit(1), drainMs).unref();
  // A keep-alive connection whose request finished after close began would otherwise hold it open.
  setInterval(() => app.fastify.server.closeIdleConnections(), 50).unref();
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
}
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => drain(signal));
const parent = process.ppid;
setInterval(() => process.ppid !== parent && drain("the parent process exited"), 250).unref();
