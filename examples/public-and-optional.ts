/**
 * Public and optional routes under app-level security. The app's `dependencies` make every route need a
 * token with the `items` scope, except:
 * - `GET /health` and `POST /token`, marked `publicRoute()`: no credential needed (the login must be
 *   reachable without one), documented as `security: []`;
 * - `GET /greeting`, public too but with an `optional(currentUser)` of its own: it greets the user when a
 *   token comes and a guest otherwise, documented as `[{"OAuth2PasswordBearer": []}, {}]`, where `{}` is
 *   "no credential" as an alternative. A token that comes but is invalid still gets 401.
 * `npm run example -- public-and-optional` serves it (user `johndoe` / `secret`).
 */
import { createApp, dependency, HTTPException, optional, publicRoute, security } from "gatehouse";
import { PasswordContext } from "gatehouse/passwords";
import { OAuth2PasswordBearer, OAuth2PasswordRequestForm } from "gatehouse/security";
import { bearerPrincipal, createTokenService, MemoryStore } from "gatehouse/tokens";

const SECRET_KEY = process.env.SECRET_KEY ?? "7d1e3c5a9b2f4d6e8a0c1b3d5f7e9a2c4b6d8f0e1a3c5b7d9f2e4a6c8b0d1f3e";
const USERS: Readonly<Record<string, { hash: string; scopes: readonly string[] }>> = {
  johndoe: { hash: "$2b$12$EixZaYVK1fsbw1ZfbX3OXePaWxn96p36WQoeG6Lruj3vjPGga31lW", scopes: ["items"] },
};

export const tokens = createTokenService({ keys: { signing: { alg: "HS256", secret: SECRET_KEY } }, store: new MemoryStore() });
const passwords = new PasswordContext({ schemes: ["bcrypt"] });

const oauth2Scheme = new OAuth2PasswordBearer({ tokenUrl: "token", scopes: { items: "Read items." } });
const principal = bearerPrincipal({ tokens, scheme: oauth2Scheme });
const currentUser = dependency({ principal }, function currentUser({ principal }) {
  return { username: principal.subject };
});

export const app = createApp({ title: "gatehouse public and optional", dependencies: [security(currentUser, ["items"])] });
app.fastify.addHook("onClose", () => tokens.close());

app.post("/token", publicRoute({ needs: { form: OAuth2PasswordRequestForm } }), async function login({ form }) {
  const user = Object.hasOwn(USERS, form.username) ? USERS[form.username] : undefined;
  const valid = user ? await passwords.verify(form.password, user.hash) : await passwords.dummyVerify(form.password);
  if (!user || !valid) throw new HTTPException(400, "Incorrect username or password");
  const { token, record } = await tokens.issue({ subject: form.username, scopes: form.scopes.filter((s) => user.scopes.includes(s)) });
  return { access_token: token, token_type: "bearer", expires_in: ((record.expiresAt ?? 0) - record.issuedAt) / 1000 };
});

app.get("/health", publicRoute({ summary: "Liveness" }), function health() {
  return { status: "ok" };
});

app.get("/greeting", publicRoute({ needs: { user: optional(currentUser) } }), function greeting({ user }) {
  return { message: user ? `Hello, ${user.username}` : "Hello, guest" };
});

// The same scopes as the app-level use: one verification per request, its result shared.
app.get("/items/", { needs: { user: security(currentUser, ["items"]) } }, function readItems({ user }) {
  return [{ item_id: "Foo", owner: user.username }];
});

export default app;
