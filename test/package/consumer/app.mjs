/**
 * The consumer test's plain JavaScript (ESM) app, run against the packed tarball with no build step: it
 * prints the address it listens on; `test/package/consumer.test.ts` drives it over HTTP.
 */
import { createApp, path, security } from "gatehouse";
import { OAuth2PasswordBearer } from "gatehouse/security";
import { bearerPrincipal, createTokenService, MemoryStore, tokenRouter } from "gatehouse/tokens";
import { z } from "zod";

const tokens = createTokenService({ keys: { signing: { alg: "HS256", secret: process.env.SECRET_KEY } }, store: new MemoryStore() });
const oauth2 = new OAuth2PasswordBearer({ tokenUrl: "token", scopes: { "notes:read": "Read notes." } });
const principal = bearerPrincipal({ tokens, scheme: oauth2 });

const app = createApp({ title: "Notes" });
app.fastify.addHook("onClose", () => tokens.close());
app.include(tokenRouter({ tokens, authenticate: ({ username, password }) => (username === "ada" && password === "lovelace" ? { subject: "ada" } : undefined) }));
app.get("/notes/{id}", { needs: { user: security(principal, ["notes:read"]), id: path(z.coerce.number()) } }, ({ user, id }) => ({ id, text: `note ${id}`, owner: user.subject }));

const url = await app.listen({ host: "127.0.0.1", port: 0 });
console.log(`listening ${url}`);
process.once("SIGTERM", () => void app.close().then(() => process.exit(0)));
