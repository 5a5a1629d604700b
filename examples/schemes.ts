/**
 * Every scheme of `gatehouse/security`, one route each, answering what the scheme extracted (FastAPI's
 * behaviour for each, status, body and `WWW-Authenticate` alike). `npm run example -- schemes` serves it.
 * The routes only echo credentials; `requireAdmin` at the end shows how a real app checks them.
 */
import { createApp, dependency, HTTPException, security, SecurityScopes } from "gatehouse";
import {
  APIKeyCookie,
  APIKeyHeader,
  APIKeyQuery,
  HTTPBasic,
  HTTPBearer,
  HTTPDigest,
  OAuth2,
  OAuth2AuthorizationCodeBearer,
  OAuth2PasswordRequestForm,
  OAuth2PasswordRequestFormStrict,
  OpenIdConnect,
  safeCompare,
  type OAuth2PasswordRequest,
} from "gatehouse/security";

export const app = createApp({ title: "gatehouse schemes" });

app.get("/apikey/header", { needs: { key: new APIKeyHeader({ name: "x-key" }) } }, ({ key }) => ({ key }));
app.get("/apikey/query", { needs: { key: new APIKeyQuery({ name: "api_key" }) } }, ({ key }) => ({ key }));
app.get("/apikey/cookie", { needs: { key: new APIKeyCookie({ name: "session" }) } }, ({ key }) => ({ key }));

const optionalKey = new APIKeyHeader({ name: "x-key", schemeName: "OptionalKey", autoError: false });
app.get("/apikey/optional", { needs: { key: optionalKey } }, ({ key }) => ({ key: key ?? null }));

export const basic = new HTTPBasic({ realm: "gatehouse" });
app.get("/basic", { needs: { credentials: basic } }, ({ credentials }) => ({
  username: credentials.username,
  password: credentials.password,
}));

const bearer = new HTTPBearer({ bearerFormat: "JWT", description: "JWT access token" });
app.get("/bearer", { needs: { auth: bearer } }, ({ auth }) => ({ scheme: auth.scheme, credentials: auth.credentials }));

app.get("/digest", { needs: { auth: new HTTPDigest() } }, ({ auth }) => ({ scheme: auth.scheme, credentials: auth.credentials }));

const codeScheme = new OAuth2AuthorizationCodeBearer({
  authorizationUrl: "/authorize",
  tokenUrl: "/token",
  refreshUrl: "/refresh",
  scopes: { read: "Read things", write: "Write things" },
});
const codeToken = dependency({ token: codeScheme, securityScopes: SecurityScopes }, function codeToken({ token, securityScopes }) {
  return { token, scopes: securityScopes.scopes };
});
app.get("/oauth2/code", { needs: { result: security(codeToken, ["read"]) } }, ({ result }) => result);

const customOAuth2 = new OAuth2({
  flows: {
    clientCredentials: { tokenUrl: "/token", scopes: {} },
    implicit: { authorizationUrl: "/authorize", scopes: {} },
  },
});
app.get("/oauth2/custom", { needs: { authorization: customOAuth2 } }, ({ authorization }) => ({ authorization }));

const oidc = new OpenIdConnect({ openIdConnectUrl: "/.well-known/openid-configuration" });
app.get("/oidc", { needs: { authorization: oidc } }, ({ authorization }) => ({ authorization }));

const eitherKey = new APIKeyHeader({ name: "x-key", schemeName: "EitherKey", autoError: false });
const eitherBearer = new HTTPBearer({ schemeName: "EitherBearer", autoError: false });
// Both schemes are optional so that the route decides: the key wins when both are sent.
app.get("/either", { needs: { key: eitherKey, auth: eitherBearer } }, ({ key, auth }) => {
  if (key !== undefined) return { via: "key", value: key };
  if (auth !== undefined) return { via: "bearer", value: auth.credentials };
  throw new HTTPException(401, "Not authenticated", { "WWW-Authenticate": "Bearer" });
});

/** The form as FastAPI's `OAuth2PasswordRequestForm` attributes, absent fields as `null`. */
function formBody(form: OAuth2PasswordRequest) {
  return {
    grant_type: form.grantType,
    username: form.username,
    password: form.password,
    scopes: form.scopes,
    client_id: form.clientId,
    client_secret: form.clientSecret,
  };
}
app.post("/login", { needs: { form: OAuth2PasswordRequestForm } }, ({ form }) => formBody(form));
app.post("/login/strict", { needs: { form: OAuth2PasswordRequestFormStrict } }, ({ form }) => formBody(form));

const ADMIN_USERNAME = "admin";
// An example's secret: a real app reads it from its configuration (or stores a password hash).
const ADMIN_PASSWORD = "correct horse battery staple";

/**
 * How an app checks Basic credentials: both compared in constant time, and both compared before deciding,
 * so neither the time nor the answer tells which one was wrong. Not mounted on a route here.
 */
export const requireAdmin = dependency({ credentials: basic }, function requireAdmin({ credentials }) {
  const usernameOk = safeCompare(credentials.username, ADMIN_USERNAME);
  const passwordOk = safeCompare(credentials.password, ADMIN_PASSWORD);
  if (!(usernameOk && passwordOk)) {
    throw new HTTPException(401, "Incorrect username or password", { "WWW-Authenticate": basic.challenge });
  }
  return credentials.username;
});

export default app;
