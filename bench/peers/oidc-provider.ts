/**
 * @module
 * The identity provider of the resource-server scenario: oidc-provider as the tests run it
 * (`test/tokens/remote/provider.ts`, ES256 RFC 9068 tokens) at `$PORT`. It writes one access token
 * (scopes `items:read items:write`, audience `api`) to `$BENCH_TOKEN_FILE` for the load generator.
 */
import { writeFileSync } from "node:fs";
import { TestProvider } from "../../test/tokens/remote/provider.ts";

const provider = await TestProvider.start(Number(process.env.PORT));
writeFileSync(process.env.BENCH_TOKEN_FILE!, await provider.token());
console.log(`oidc-provider at ${provider.issuer}`);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void provider.close().then(() => process.exit(0)));
