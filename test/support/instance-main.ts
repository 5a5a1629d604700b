/**
 * One app instance in a process of its own, for the fault suite: the token test app (`tokenApp`) on the
 * store `$GATEHOUSE_STORE` names (options as JSON in `$GATEHOUSE_TEST_STORE_OPTIONS`), on a free port of
 * 127.0.0.1. Prints `listening PORT`, then `state STATE` on every change of the ledger's state (with the
 * reason), and whatever the app logs (at `info`); SIGTERM closes it.
 */
import { openStore, type OpenStoreOptions } from "gatehouse/tokens";
import { tokenApp } from "../tokens/support.ts";

const options = JSON.parse(process.env.GATEHOUSE_TEST_STORE_OPTIONS ?? "{}") as OpenStoreOptions;
const store = openStore(process.env.GATEHOUSE_STORE ?? "memory", options);
const { app } = tokenApp({
  store,
  retryMs: 50,
  // The suite mints never-expiring personal tokens (revoke-all must stay one entry however many there are).
  allowNonExpiringApiTokens: true,
  onStateChange: (state, error) => console.log(`state ${state}${error ? ` ${(error as Error).message}` : ""}`),
});
await app.listen({ host: "127.0.0.1", port: 0 });
const address = app.fastify.server.address();
console.log(`listening ${typeof address === "object" && address ? address.port : 0}`);
process.once("SIGTERM", () => void app.close().then(() => process.exit(0)));
