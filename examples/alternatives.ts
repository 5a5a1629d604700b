/**
 * Alternatives, honestly documented. `GET /items/` takes an API key *or* a bearer token: `anyOf` tries them
 * in order and stops at the first that works (a valid key never costs a token verification), and the
 * document lists them as alternatives, `[{"ApiKey": []}, {"OAuth2PasswordBearer": ["items:read"]}]`.
 * `POST /deploys` needs both at once (the pipeline's key and an approver's token); with
 * `securityStyle: "exact"` the document says so as one requirement, `[{"ApiKey": [], "OAuth2PasswordBearer": ["deploy"]}]`,
 * where FastAPI's style would list them as if either were enough.
 * `npm run example -- alternatives` serves it (user `johndoe` / `secret`, API key `ci-key-…` below).
 */
import { anyOf, createApp, dependency, HTTPException, security } from "gatehouse";
import { PasswordContext } from "gatehouse/passwords";
import { APIKeyHeader, OAuth2PasswordBearer, safeCompare } from "gatehouse/security";
import { bearerPrincipal, createTokenService, MemoryStore, tokenRouter } from "gatehouse/tokens";

const SECRET_KEY = process.env.SECRET_KEY ?? "0c2f8e1d7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d";
// API key → the machine it belongs to. A real app keeps hashes in a database.
const API_KEYS: Readonly<Record<string, string>> = { "ci-pipeline": process.env.CI_API_KEY ?? "ci-key-4f9a2b7c1d8e3f60" };
const USERS: Readonly<Record<string, { hash: string; scopes: readonly string[] }>> = {
  johndoe: { hash: "$2b$12$EixZaYVK1fsbw1ZfbX3OXePaWxn96p36WQoeG6Lruj3vjPGga31lW", scopes: ["items:read", "deploy"] },
};

export const tokens = createTokenService({ keys: { signing: { alg: "HS256", secret: SECRET_KEY } }, store: new MemoryStore() });
const passwords = new PasswordContext({ schemes: ["bcrypt"] });

const apiKey = new APIKeyHeader({ name: "X-API-Key", schemeName: "ApiKey" });
const oauth2Scheme = new OAuth2PasswordBearer({ tokenUrl: "token", scopes: { "items:read": "Read items.", deploy: "Approve deploys." } });

const apiKeyUser = dependency({ key: apiKey }, function apiKeyUser({ key }) {
  // Compare against every key, in constant time each, so the answer time says nothing about which one matched.
  const owners = Object.entries(API_KEYS).filter(([, known]) => safeCompare(key, known));
  if (owners.length === 0) throw new HTTPException(401, "Invalid API key", { "WWW-Authenticate": "APIKey" });
  return { name: owners[0]![0], via: "api-key" as const };
});

const principal = bearerPrincipal({ tokens, scheme: oauth2Scheme });
const tokenUser = dependency({ principal }, function tokenUser({ principal }) {
  return { name: principal.subject, via: "token" as const };
});

export const app = createApp({ title: "gatehouse alternatives", securityStyle: "exact" });
app.fastify.addHook("onClose", () => tokens.close());

app.include(
  tokenRouter({
    tokens,
    async authenticate({ username, password, scopes }) {
      const user = Object.hasOwn(USERS, username) ? USERS[username] : undefined;
      if (!user) return passwords.dummyVerify(password);
      if (!(await passwords.verify(password, user.hash))) return undefined;
      return { subject: username, scopes: scopes.filter((scope) => user.scopes.includes(scope)) };
    },
    includeInSchema: ["/token"],
  }),
);

app.get("/items/", { needs: { caller: anyOf(apiKeyUser, security(tokenUser, ["items:read"])) } }, function readItems({ caller }) {
  return [{ item_id: "Foo", caller: caller.name, via: caller.via }];
});

app.post(
  "/deploys",
  { needs: { pipeline: apiKeyUser, approver: security(tokenUser, ["deploy"]) }, status: 201 },
  function createDeploy({ pipeline, approver }) {
    return { pipeline: pipeline.name, approvedBy: approver.name };
  },
);

export default app;
