/**
 * Serves `examples/NAME.ts` (default `seed`) at `$HOST` (default 127.0.0.1) and `$PORT` (default 8000).
 * `npm start` runs the seed; `npm run example -- NAME` any other example.
 */
import { readdirSync } from "node:fs";
import type { App } from "gatehouse";

const name = process.argv[2] ?? "seed";
const examples = readdirSync(new URL("../examples/", import.meta.url)).filter((f) => f.endsWith(".ts")).map((f) => f.slice(0, -3));
if (!examples.includes(name)) {
  console.error(`no example named "${name}"; there are: ${examples.join(", ")}`);
  process.exit(2);
}
const { app } = (await import(`../examples/${name}.ts`)) as { app: App };
const host = process.env.HOST ?? "127.0.0.1";
const port = Number(process.env.PORT ?? 8000);
// With PORT=0 the OS picks the port: print the address the server really has.
const address = await app.listen({ host, port });
console.log(`gatehouse example "${name}" on ${address} (docs at /docs)`);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void app.close().then(() => process.exit(0)));
}
