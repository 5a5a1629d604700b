/**
 * The consumer test's check of optional peers that are not installed: each way of needing one fails at
 * start-up with `GH_MISSING_PEER` and the command that installs it. Prints one JSON line per case.
 */
import { createApp } from "gatehouse";
import { storeFromEnv } from "gatehouse/tokens";
import { RedisStore } from "gatehouse/tokens/redis";

async function attempt(name, run) {
  try {
    await run();
    console.log(JSON.stringify({ name, ok: true }));
  } catch (error) {
    console.log(JSON.stringify({ name, code: error.code, type: error.name, message: error.message }));
  }
}

await attempt("default store", () => storeFromEnv({}));
await attempt("redis url", () => storeFromEnv({ GATEHOUSE_STORE: "redis://127.0.0.1:1/0" }));
await attempt("redis store", () => new RedisStore("redis://127.0.0.1:1/0"));
await attempt("redoc", async () => {
  const app = createApp({ redocUrl: "/redoc" });
  try {
    await app.ready();
  } finally {
    await app.close();
  }
});
