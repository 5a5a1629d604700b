/**
 * Machine-to-machine access (RFC 6749 §4.4): the `reports-bot` service gets a token from `POST /token` with
 * `grant_type=client_credentials`, authenticating with HTTP Basic (or `client_id`/`client_secret` in the
 * form), then calls `/reports`, protected by `OAuth2ClientCredentials`. `bearerPrincipal` verifies the
 * token and enforces each route's scopes (403 `insufficient_scope` when one is missing).
 * `npm run example -- client-credentials` serves it; then:
 *
 *   curl -u reports-bot:bot-secret -d grant_type=client_credentials -d scope=reports:read http://127.0.0.1:8000/token
 *   curl -H "Authorization: Bearer <access_token>" http://127.0.0.1:8000/reports
 */
import { createApp, security } from "gatehouse";
import { OAuth2ClientCredentials } from "gatehouse/security";
import { bearerPrincipal, createTokenService, MemoryStore, tokenRouter } from "gatehouse/tokens";

// A real service reads both from its environment.
const SECRET_KEY = process.env.SECRET_KEY ?? "5b0f3c6a1e2d4f8897a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4";
const REPORTS_BOT_SECRET = process.env.REPORTS_BOT_SECRET ?? "bot-secret";

export const tokens = createTokenService({ keys: { signing: { alg: "HS256", secret: SECRET_KEY } }, store: new MemoryStore() });

const machine = new OAuth2ClientCredentials({
  tokenUrl: "/token",
  scopes: { "reports:read": "Read reports.", "reports:write": "Write reports." },
});
const caller = bearerPrincipal({ tokens, scheme: machine });

export const app = createApp({ title: "gatehouse client credentials" });
app.fastify.addHook("onClose", () => tokens.close());

app.include(
  tokenRouter({
    tokens,
    authenticate: () => undefined, // no users here: the password grant always answers 400
    // `scopes`: what the client may be granted with client_credentials.
    clients: { "reports-bot": { secret: REPORTS_BOT_SECRET, scopes: ["reports:read", "reports:write"] } },
    includeInSchema: ["/token"],
  }),
);

app.get("/reports", { needs: { caller: security(caller, ["reports:read"]) } }, function listReports({ caller }) {
  // The subject of a client-credentials token is the client itself.
  return [{ id: 1, title: "Quarterly numbers", readBy: caller.subject, scopes: caller.scopes }];
});

app.post("/reports", { needs: { caller: security(caller, ["reports:write"]) }, status: 201 }, function createReport({ caller }) {
  return { id: 2, createdBy: caller.subject };
});

export default app;
