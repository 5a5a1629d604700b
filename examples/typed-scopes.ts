/**
 * Scope names checked at compile time. The scheme declares `scopes: { me, items }`, and from then on every
 * `security(dep, [...])` whose tree holds that scheme takes only those names: `security(currentUser, ["itemz"])`
 * does not compile. `bearerPrincipal` types the principal's `scopes` as `readonly ("me" | "items")[]` and its
 * claims from the Zod schema; nothing the handlers receive is `any` (test/types/typed-scopes.test-d.ts).
 * `npm run example -- typed-scopes` serves it (user `johndoe` / `secret`).
 */
import { z } from "zod";
import { createApp, dependency, depends, security } from "gatehouse";
import { PasswordContext } from "gatehouse/passwords";
import { OAuth2PasswordBearer } from "gatehouse/security";
import { bearerPrincipal, createTokenService, MemoryStore, tokenRouter } from "gatehouse/tokens";

const SECRET_KEY = process.env.SECRET_KEY ?? "3e5c7a9b1d2f4e6a8c0b2d4f6e8a1c3b5d7f9e0a2c4b6d8f1e3a5c7b9d0f2e4a";
const JOHNDOE_HASH = "$2b$12$EixZaYVK1fsbw1ZfbX3OXePaWxn96p36WQoeG6Lruj3vjPGga31lW"; // "secret"

export const tokens = createTokenService({ keys: { signing: { alg: "HS256", secret: SECRET_KEY } }, store: new MemoryStore() });
const passwords = new PasswordContext({ schemes: ["bcrypt"] });

export const oauth2Scheme = new OAuth2PasswordBearer({
  tokenUrl: "token",
  scopes: { me: "Read information about the current user.", items: "Read items." },
});

/** The verified token: `scopes` typed `readonly ("me" | "items")[]`, `claims` as the schema says. */
export const principal = bearerPrincipal({ tokens, scheme: oauth2Scheme, claims: z.object({ sub: z.string(), iat: z.number() }) });

export const currentUser = dependency({ principal: security(principal, ["me"]) }, function currentUser({ principal }) {
  return { username: principal.subject, scopes: principal.scopes, since: new Date(principal.claims.iat * 1000) };
});

export const app = createApp({ title: "gatehouse typed scopes" });
app.fastify.addHook("onClose", () => tokens.close());

app.include(
  tokenRouter({
    tokens,
    async authenticate({ username, password, scopes }) {
      const valid = username === "johndoe" ? await passwords.verify(password, JOHNDOE_HASH) : await passwords.dummyVerify(password);
      return valid ? { subject: username, scopes } : undefined;
    },
    includeInSchema: ["/token"],
  }),
);

app.get("/users/me/", { needs: { user: depends(currentUser) } }, function readUsersMe({ user }) {
  return { username: user.username, scopes: user.scopes, since: user.since.toISOString() };
});

// `["itemz"]` here would be a compile error, not a route that no token can ever open.
app.get("/users/me/items/", { needs: { user: security(currentUser, ["items"]) } }, function readOwnItems({ user }) {
  return [{ item_id: "Foo", owner: user.username }];
});

export default app;
