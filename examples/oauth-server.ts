/**
 * An OAuth 2.1 authorization server that standard clients use as they are (openid-client, Swagger UI, any
 * RFC 6749 library), and the API it protects. `npm run example -- oauth-server`.
 *
 * - issuer `$GATEHOUSE_ISSUER`, else `http://$HOST:$PORT` (the port the server got, when `PORT=0`);
 *   discovery at `/.well-known/oauth-authorization-server` and `/.well-known/openid-configuration`;
 * - tokens: RFC 9068 JWTs signed with ES256 (`$OAUTH_SIGNING_KEY`, a PKCS#8 PEM, else a key made at start-up),
 *   public keys at `/.well-known/jwks.json`, records in `$GATEHOUSE_STORE`;
 * - the seed's users (johndoe / secret; alice is disabled) log in on `/authorize` and consent to `me`, `items`;
 * - clients: `demo-app` (public, authorization code + PKCE S256, refresh, loopback redirects with any port),
 *   `service` (confidential, client credentials, scope `items`, may introspect), `docs` (Swagger UI at `/docs`);
 * - resource routes: `GET /users/me/` (`me`), `GET /users/me/items/` (`me items`), `GET /items/` (`items`, a
 *   user's or a client's token); the user's grants at `/users/me/tokens`.
 */
import { createPrivateKey, generateKeyPairSync } from "node:crypto";
import { calculateJwkThumbprint, exportJWK } from "jose";
import { createApp, dependency, depends, HTTPException, security } from "gatehouse";
import { PasswordContext } from "gatehouse/passwords";
import { OAuth2AuthorizationCodeBearer } from "gatehouse/security";
import { bearerPrincipal, createTokenService, invalidToken, storeFromEnv, tokenRouter } from "gatehouse/tokens";
import { z } from "zod";

const HOST = process.env.HOST ?? "127.0.0.1";
const PORT = process.env.PORT ?? "8000";
export const SERVICE_SECRET = process.env.OAUTH_SERVICE_SECRET ?? "service-secret-0123456789abcdef";
export const SCOPES = { me: "Read information about the current user.", items: "Read items." };

/** The issuer: configured, or this server's own address once it listens (so that `PORT=0` works). */
function issuer(): string {
  if (process.env.GATEHOUSE_ISSUER) return process.env.GATEHOUSE_ISSUER.replace(/\/$/, "");
  const address = app.fastify.server.address();
  const port = address !== null && typeof address === "object" ? address.port : PORT;
  return `http://${HOST.includes(":") ? `[${HOST}]` : HOST}:${port}`;
}

// ES256 (RFC 7518 §3.4). A key made at start-up is fine for a demo; a real server loads one, and keeps the
// previous one in `keys.verification` until the tokens it signed have expired.
const privateKey = process.env.OAUTH_SIGNING_KEY ? createPrivateKey(process.env.OAUTH_SIGNING_KEY) : generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey;
const kid = await calculateJwkThumbprint(await exportJWK(privateKey));

export const tokens = createTokenService({
  keys: { signing: { kid, alg: "ES256", privateKey } },
  store: storeFromEnv(),
  issuer,
  accessTokenFormat: "at+jwt",
});

const users = {
  johndoe: { username: "johndoe", full_name: "John Doe", email: "johndoe@example.com", disabled: false, hashed_password: "$2b$12$EixZaYVK1fsbw1ZfbX3OXePaWxn96p36WQoeG6Lruj3vjPGga31lW" },
  alice: { username: "alice", full_name: "Alice Chains", email: "alicechains@example.com", disabled: true, hashed_password: "$2b$12$gSvqqUPvlXP2tfVFaWK1Be7DlH.PKZbv5H8KnzzVgXXbVxpva.pFm" },
} as const;
type Username = keyof typeof users;
const isUser = (name: string): name is Username => Object.hasOwn(users, name);
const passwords = new PasswordContext({ schemes: ["bcrypt"] });

const User = z.object({ username: z.string(), email: z.string(), full_name: z.string(), disabled: z.boolean() }).meta({ id: "User" });

const oauth2 = new OAuth2AuthorizationCodeBearer({ authorizationUrl: "/authorize", tokenUrl: "/token", scopes: SCOPES });

export const app = createApp({
  title: "gatehouse OAuth server",
  // Swagger UI's Authorize dialog runs the authorization code flow with PKCE as the public client `docs`.
  swaggerUi: { clientId: "docs", usePkceWithAuthorizationCodeGrant: true },
});
app.fastify.addHook("onClose", () => tokens.close());

const principal = bearerPrincipal({ tokens, scheme: oauth2 });

const currentUser = dependency({ principal }, function currentUser({ principal }) {
  // A client's own token (client credentials) names no user.
  if (!isUser(principal.subject)) throw invalidToken();
  return users[principal.subject];
});

const activeUser = dependency({ user: security(currentUser, ["me"]) }, function activeUser({ user }) {
  if (user.disabled) throw new HTTPException(400, "Inactive user");
  return user;
});

const loopback = (path: string) => [`http://127.0.0.1${path}`, `http://localhost${path}`];

app.include(
  tokenRouter({
    tokens,
    async authenticate({ username, password }) {
      const user = isUser(username) ? users[username] : undefined;
      if (!user) return passwords.dummyVerify(password); // as long as a wrong password: usernames stay secret
      return !user.disabled && (await passwords.verify(password, user.hashed_password)) ? { subject: user.username } : undefined;
    },
    clients: {
      // RFC 8252 §7.3: a native or CLI app listening on a loopback port the OS gave it.
      "demo-app": { name: "Demo app", grants: ["authorization_code", "refresh_token"], redirectUris: loopback("/callback"), scopes: ["me", "items"] },
      service: { name: "Service", secret: SERVICE_SECRET, grants: ["client_credentials"], scopes: ["items"], introspect: true },
      docs: {
        name: "API docs (Swagger UI)",
        // The server's own page: a user signed in there may manage their tokens, as with a password login.
        firstParty: true,
        grants: ["authorization_code", "refresh_token"],
        redirectUris: [...loopback("/docs/oauth2-redirect"), ...(process.env.GATEHOUSE_ISSUER ? [`${issuer()}/docs/oauth2-redirect`] : [])],
      },
    },
    authorization: { scopes: SCOPES },
    // OAuth 2.1 has no password grant: the user's password goes to the login page only.
    passwordGrant: false,
    errorStyle: "oauth",
    me: { token: oauth2, dependencies: [security(activeUser, ["me"])] },
  }),
);

app.get("/users/me/", { needs: { user: depends(activeUser) }, response: User }, function readUsersMe({ user }) {
  return user;
});

app.get("/users/me/items/", { needs: { user: security(activeUser, ["items"]) } }, function readOwnItems({ user }) {
  return [{ item_id: "Foo", owner: user.username }];
});

app.get("/items/", { needs: { caller: security(principal, ["items"]) } }, function readItems({ caller }) {
  return [{ item_id: "Foo", owner: caller.subject }];
});

export default app;
