/**
 * @module
 * The seed app's data and decisions (shared/oracle/seed_app.py), engine-free, so that every peer answers
 * exactly as FastAPI does and differs from the others only in its HTTP engine and its JWT library.
 */

import { verify as bcryptVerify } from "@node-rs/bcrypt";

export const SECRET_KEY = "09d25e094faa6ca2556c818166b7a9563b93f7099f6f0f4caa6cf63b88e8d3e7";
export const ACCESS_TOKEN_EXPIRE_MINUTES = 30;

const users = {
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

/** `fake_users_db[username]`, or undefined. */
export function getUser(username) {
  return Object.hasOwn(users, username) ? users[username] : undefined;
}

/** The `User` response model: the stored user without its hash. */
export function publicUser({ username, email, full_name, disabled }) {
  return { username, email, full_name, disabled };
}

/** The scopes each protected route requires (SecurityScopes as get_current_user sees them) and its challenge. */
export const routes = {
  "/users/me/": { scopes: ["me"], active: true },
  "/users/me/items/": { scopes: ["items", "me"], active: true },
  "/status/": { scopes: [], active: false },
};
for (const route of Object.values(routes)) {
  route.challenge = route.scopes.length > 0 ? `Bearer scope="${route.scopes.join(" ")}"` : "Bearer";
}

/** OAuth2PasswordBearer: the token of `Authorization: Bearer <token>`, or undefined (→ 401 Not authenticated). */
export function bearerToken(authorization) {
  if (!authorization) return undefined;
  const space = authorization.indexOf(" ");
  const scheme = space === -1 ? authorization : authorization.slice(0, space);
  if (scheme.toLowerCase() !== "bearer") return undefined;
  return space === -1 ? "" : authorization.slice(space + 1).trim();
}

export const notAuthenticated = { status: 401, body: { detail: "Not authenticated" }, challenge: "Bearer" };

/**
 * get_current_user + get_current_active_user + the route's handler, given the verified JWT payload
 * (undefined when the token did not verify). Returns `{status, body, challenge?}`.
 */
export function answer(route, payload) {
  const denied = (detail) => ({ status: 401, body: { detail }, challenge: route.challenge });
  if (payload === undefined || typeof payload.sub !== "string") return denied("Could not validate credentials");
  const scopes = payload.scopes ?? [];
  if (!Array.isArray(scopes) || !scopes.every((s) => typeof s === "string")) return denied("Could not validate credentials");
  const user = getUser(payload.sub);
  if (user === undefined) return denied("Could not validate credentials");
  for (const scope of route.scopes) if (!scopes.includes(scope)) return denied("Not enough permissions");
  if (route.active && user.disabled) return { status: 400, body: { detail: "Inactive user" } };
  return { status: 200, body: handlers[route.path](user) };
}

const handlers = {
  "/users/me/": (user) => publicUser(user),
  "/users/me/items/": (user) => [{ item_id: "Foo", owner: user.username }],
  "/status/": () => ({ status: "ok" }),
};
for (const [path, route] of Object.entries(routes)) route.path = path;

/**
 * The /token form: `{username, password, scopes}`, or a FastAPI 422 answer for missing fields.
 * `form` is a plain object of the urlencoded fields.
 */
export function readLoginForm(form) {
  const missing = ["username", "password"].filter((k) => typeof form?.[k] !== "string");
  if (missing.length > 0) {
    const detail = missing.map((k) => ({ type: "missing", loc: ["body", k], msg: "Field required", input: null }));
    return { error: { status: 422, body: { detail } } };
  }
  const scope = typeof form.scope === "string" ? form.scope : "";
  return { username: form.username, password: form.password, scopes: scope.split(/\s+/).filter(Boolean) };
}

/** authenticate_user: the user, or undefined. bcrypt cost 12 on libuv's thread pool (@node-rs/bcrypt, async). */
export async function authenticate(username, password) {
  const user = getUser(username);
  if (user === undefined) return undefined;
  return (await bcryptVerify(password, user.hashed_password)) ? user : undefined;
}

export const incorrectLogin = { status: 400, body: { detail: "Incorrect username or password" } };

/** Seconds since the epoch of a token issued now, as the seed's create_access_token sets it. */
export function expiry() {
  return Math.floor(Date.now() / 1000) + ACCESS_TOKEN_EXPIRE_MINUTES * 60;
}

/** Every peer reads its port from $PORT, says when it listens, and exits cleanly (so `--cpu-prof` writes). */
export const port = Number(process.env.PORT ?? 19100);
for (const signal of ["SIGINT", "SIGTERM"]) process.once(signal, () => process.exit(0));
export function listening(name) {
  console.log(`${name} listening on ${port}`);
}
