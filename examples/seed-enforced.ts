/**
 * The seed app (examples/seed.ts) with the library doing the checks. `bearerPrincipal` verifies the
 * token (signature, expiry, revocation) and enforces every route's scopes, so `getCurrentUser` shrinks to
 * a user lookup. The one visible difference: too few scopes is RFC 6750's 403 `insufficient_scope`
 * (the tutorial answers 401).
 */
import { createApp, dependency, depends, HTTPException, security } from "gatehouse";
import { OAuth2PasswordBearer } from "gatehouse/security";
import { bearerPrincipal, createTokenService, invalidToken, storeFromEnv, tokenRouter } from "gatehouse/tokens";
import { authenticateUser, fakeUsersDb, getUser, SECRET_KEY, User } from "./seed.ts";

const oauth2Scheme = new OAuth2PasswordBearer({
  tokenUrl: "token",
  scopes: { me: "Read information about the current user.", items: "Read items." },
});

export const tokens = createTokenService({ keys: { signing: { alg: "HS256", secret: SECRET_KEY } }, store: storeFromEnv(), accessTokenTtl: 30 * 60 });

export const app = createApp({ title: "Seed, library-enforced" });
app.fastify.addHook("onClose", () => tokens.close());

const principal = bearerPrincipal({ tokens, scheme: oauth2Scheme });

const getCurrentUser = dependency({ principal }, function getCurrentUser({ principal }) {
  const user = getUser(fakeUsersDb, principal.subject);
  if (!user) throw invalidToken();
  return user;
});

const getCurrentActiveUser = dependency({ currentUser: security(getCurrentUser, ["me"]) }, function getCurrentActiveUser({ currentUser }) {
  if (currentUser.disabled) throw new HTTPException(400, "Inactive user");
  return currentUser;
});

app.include(
  tokenRouter({
    tokens,
    async authenticate({ username, password, scopes }) {
      const user = await authenticateUser(fakeUsersDb, username, password);
      return user ? { subject: user.username, scopes } : undefined;
    },
    me: { token: oauth2Scheme, dependencies: [security(getCurrentActiveUser, ["me"])] },
  }),
);

app.get("/users/me/", { needs: { currentUser: depends(getCurrentActiveUser) }, response: User }, async function readUsersMe({ currentUser }) {
  return currentUser;
});

app.get("/users/me/items/", { needs: { currentUser: security(getCurrentActiveUser, ["items"]) } }, async function readOwnItems({ currentUser }) {
  return [{ item_id: "Foo", owner: currentUser.username }];
});

app.get("/status/", { needs: { currentUser: depends(getCurrentUser) } }, async function readSystemStatus() {
  return { status: "ok" };
});

export default app;
