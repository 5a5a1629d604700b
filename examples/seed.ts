/**
 * FastAPI's "OAuth2 scopes" tutorial (seed 002, `shared/oracle/seed_app.py`), ported line for line.
 * Same users, hashes, secret, routes, statuses, bodies and headers: `parity.py` checks it against FastAPI.
 *
 * Seed 003 on top: the tokens can be revoked at any moment. They are still the seed's HS256 JWTs (now with
 * `jti` and `iat`), recorded in `$GATEHOUSE_STORE` (default `sqlite:.gatehouse/tokens.db`). `tokenRouter`
 * serves `/token` (also `grant_type=refresh_token`), `/revoke`, `/introspect` and `/users/me/tokens…`.
 * `/introspect` takes HTTP Basic client credentials: `resource-server` / `RESOURCE_SERVER_SECRET` below.
 */
import { z } from "zod";
import { createApp, dependency, depends, HTTPException, security, SecurityScopes } from "gatehouse";
import { PasswordContext } from "gatehouse/passwords";
import { OAuth2PasswordBearer } from "gatehouse/security";
import { createTokenService, storeFromEnv, tokenRouter } from "gatehouse/tokens";

// to get a string like this run: openssl rand -hex 32
export const SECRET_KEY = "09d25e094faa6ca2556c818166b7a9563b93f7099f6f0f4caa6cf63b88e8d3e7";
const ALGORITHM = "HS256";
const ACCESS_TOKEN_EXPIRE_MINUTES = 30;
// The client a resource server uses on /introspect (HTTP Basic). Like SECRET_KEY, a real app reads it from its environment.
const RESOURCE_SERVER_SECRET = "a3f1c2d9e8b7a6f5e4d3c2b1a0f9e8d7";

export const fakeUsersDb: Record<string, UserInDB> = {
  johndoe: {
    username: "johndoe",
    full_name: "John Doe",
    email: "johndoe@example.com",
    hashed_password: "$2b$12$EixZaYVK1fsbw1ZfbX3OXePaWxn96p36WQoeG6Lruj3vjPGga31lW",
    disabled: false,
  },
  alice: {
    username: "alice",
    full_name: "Alice Chains",
    email: "alicechains@example.com",
    hashed_password: "$2b$12$gSvqqUPvlXP2tfVFaWK1Be7DlH.PKZbv5H8KnzzVgXXbVxpva.pFm",
    disabled: true,
  },
};

const TokenData = z.object({ username: z.string(), scopes: z.array(z.string()).default([]) });

export const User = z.object({
  username: z.string(),
  email: z.string().nullish(),
  full_name: z.string().nullish(),
  disabled: z.boolean().nullish(),
}).meta({ id: "User" });

const UserInDB = User.extend({ hashed_password: z.string() });
type UserInDB = z.infer<typeof UserInDB>;

const pwdContext = new PasswordContext({ schemes: ["bcrypt"], deprecated: "auto" });

const oauth2Scheme = new OAuth2PasswordBearer({
  tokenUrl: "token",
  scopes: { me: "Read information about the current user.", items: "Read items." },
});

// FastAPI serves ReDoc at /redoc by default; gatehouse only when asked (it needs the optional `redoc` package).
export const app = createApp({ redocUrl: "/redoc" });

export const tokens = createTokenService({
  keys: { signing: { alg: ALGORITHM, secret: SECRET_KEY } },
  store: storeFromEnv(),
  accessTokenTtl: ACCESS_TOKEN_EXPIRE_MINUTES * 60,
});
app.fastify.addHook("onClose", () => tokens.close());

function verifyPassword(plainPassword: string, hashedPassword: string) {
  return pwdContext.verify(plainPassword, hashedPassword);
}

export function getUser(db: Record<string, UserInDB>, username: string) {
  if (Object.hasOwn(db, username)) return UserInDB.parse(db[username]);
}

export async function authenticateUser(fakeDb: Record<string, UserInDB>, username: string, password: string) {
  const user = getUser(fakeDb, username);
  if (!user) return pwdContext.dummyVerify(password); // same time as a wrong password: usernames stay secret
  if (!(await verifyPassword(password, user.hashed_password))) return false;
  return user;
}

const getCurrentUser = dependency(
  { securityScopes: SecurityScopes, token: oauth2Scheme },
  async function getCurrentUser({ securityScopes, token }) {
    const authenticateValue = securityScopes.scopes.length > 0 ? `Bearer scope="${securityScopes.scopeStr}"` : "Bearer";
    const credentialsException = new HTTPException(401, "Could not validate credentials", { "WWW-Authenticate": authenticateValue });
    const verified = await tokens.verify(token); // signature, algorithm, exp, and now revocation
    // A revoked token gets 401 `Bearer error="invalid_token"`; an unreachable token store 503 (fail closed).
    if (!verified.ok) throw verified.reason === "revoked" || verified.reason === "unavailable" ? verified.error : credentialsException;
    let tokenData: z.infer<typeof TokenData>;
    try {
      tokenData = TokenData.parse({ scopes: verified.claims.scopes, username: verified.claims.sub });
    } catch {
      throw credentialsException;
    }
    const user = getUser(fakeUsersDb, tokenData.username);
    if (user === undefined) throw credentialsException;
    for (const scope of securityScopes.scopes) {
      if (!tokenData.scopes.includes(scope)) {
        throw new HTTPException(401, "Not enough permissions", { "WWW-Authenticate": authenticateValue });
      }
    }
    return user;
  },
);

const getCurrentActiveUser = dependency(
  { currentUser: security(getCurrentUser, ["me"]) },
  async function getCurrentActiveUser({ currentUser }) {
    if (currentUser.disabled) throw new HTTPException(400, "Inactive user");
    return currentUser;
  },
);

// POST /token is the seed's login (same form, same 400), now also returning refresh_token and expires_in.
// Only /token goes into /openapi.json, so that the document still matches FastAPI's (parity.py compares it).
app.include(
  tokenRouter({
    tokens,
    async authenticate({ username, password, scopes }) {
      const user = await authenticateUser(fakeUsersDb, username, password);
      return user ? { subject: user.username, scopes } : undefined;
    },
    clients: { "resource-server": { secret: RESOURCE_SERVER_SECRET, introspect: true } },
    me: { token: oauth2Scheme, dependencies: [security(getCurrentActiveUser, ["me"])] },
    includeInSchema: ["/token"],
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
