/**
 * FastAPI's "OAuth2 scopes" tutorial (seed 002, `shared/oracle/seed_app.py`), ported line for line.
 * Same users, hashes, secret, routes, statuses, bodies and headers: `parity.py` checks it against FastAPI.
 */
import { jwtVerify, SignJWT } from "jose";
import { z } from "zod";
import { createApp, dependency, depends, HTTPException, security, SecurityScopes } from "gatehouse";
import { PasswordContext } from "gatehouse/passwords";
import { OAuth2PasswordBearer, OAuth2PasswordRequestForm } from "gatehouse/security";

// to get a string like this run: openssl rand -hex 32
const SECRET_KEY = "09d25e094faa6ca2556c818166b7a9563b93f7099f6f0f4caa6cf63b88e8d3e7";
const ALGORITHM = "HS256";
const ACCESS_TOKEN_EXPIRE_MINUTES = 30;

const fakeUsersDb: Record<string, UserInDB> = {
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

const Token = z.object({ access_token: z.string(), token_type: z.string() });

const TokenData = z.object({ username: z.string(), scopes: z.array(z.string()).default([]) });

const User = z.object({
  username: z.string(),
  email: z.string().nullish(),
  full_name: z.string().nullish(),
  disabled: z.boolean().nullish(),
});

const UserInDB = User.extend({ hashed_password: z.string() });
type UserInDB = z.infer<typeof UserInDB>;

const pwdContext = new PasswordContext({ schemes: ["bcrypt"], deprecated: "auto" });

const oauth2Scheme = new OAuth2PasswordBearer({
  tokenUrl: "token",
  scopes: { me: "Read information about the current user.", items: "Read items." },
});

export const app = createApp();

const secretKey = new TextEncoder().encode(SECRET_KEY);

function verifyPassword(plainPassword: string, hashedPassword: string) {
  return pwdContext.verify(plainPassword, hashedPassword);
}

function getUser(db: Record<string, UserInDB>, username: string) {
  if (Object.hasOwn(db, username)) return UserInDB.parse(db[username]);
}

async function authenticateUser(fakeDb: Record<string, UserInDB>, username: string, password: string) {
  const user = getUser(fakeDb, username);
  if (!user) return pwdContext.dummyVerify(password); // same time as a wrong password: usernames stay secret
  if (!(await verifyPassword(password, user.hashed_password))) return false;
  return user;
}

function createAccessToken(data: { sub: string; scopes: string[] }, expiresDeltaMinutes = 15) {
  const expire = Math.floor(Date.now() / 1000) + expiresDeltaMinutes * 60;
  return new SignJWT({ ...data }).setProtectedHeader({ alg: ALGORITHM, typ: "JWT" }).setExpirationTime(expire).sign(secretKey);
}

const getCurrentUser = dependency(
  { securityScopes: SecurityScopes, token: oauth2Scheme },
  async function getCurrentUser({ securityScopes, token }) {
    const authenticateValue = securityScopes.scopes.length > 0 ? `Bearer scope="${securityScopes.scopeStr}"` : "Bearer";
    const credentialsException = new HTTPException(401, "Could not validate credentials", { "WWW-Authenticate": authenticateValue });
    let tokenData: z.infer<typeof TokenData>;
    try {
      const { payload } = await jwtVerify(token, secretKey, { algorithms: [ALGORITHM] });
      if (payload.sub === undefined) throw credentialsException;
      tokenData = TokenData.parse({ scopes: payload.scopes, username: payload.sub });
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

app.post("/token", { needs: { formData: OAuth2PasswordRequestForm }, response: Token }, async function loginForAccessToken({ formData }) {
  const user = await authenticateUser(fakeUsersDb, formData.username, formData.password);
  if (!user) throw new HTTPException(400, "Incorrect username or password");
  const accessToken = await createAccessToken({ sub: user.username, scopes: formData.scopes }, ACCESS_TOKEN_EXPIRE_MINUTES);
  return { access_token: accessToken, token_type: "bearer" };
});

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
