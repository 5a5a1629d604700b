import { describe, expectTypeOf, it } from "vitest";
import { createApp, dependency, security, type ValueOf } from "gatehouse";
import {
  APIKeyCookie,
  APIKeyHeader,
  APIKeyQuery,
  HTTPBase,
  HTTPBasic,
  HTTPBearer,
  HTTPDigest,
  OAuth2,
  OAuth2AuthorizationCodeBearer,
  OAuth2PasswordBearer,
  OpenIdConnect,
  type HTTPAuthorizationCredentials,
  type HTTPBasicCredentials,
} from "gatehouse/security";

declare const flag: boolean;

describe("scheme results", () => {
  it("are the credential by default and with autoError: true", () => {
    expectTypeOf<ValueOf<APIKeyQuery>>().toEqualTypeOf<string>();
    expectTypeOf<ValueOf<typeof header>>().toEqualTypeOf<string>();
    const header = new APIKeyHeader({ name: "x", autoError: true });
    expectTypeOf<ValueOf<typeof cookie>>().toEqualTypeOf<string>();
    const cookie = new APIKeyCookie({ name: "x" });
    expectTypeOf<ValueOf<typeof basic>>().toEqualTypeOf<HTTPBasicCredentials>();
    const basic = new HTTPBasic({ realm: "r" });
    expectTypeOf<ValueOf<typeof bearer>>().toEqualTypeOf<HTTPAuthorizationCredentials>();
    const bearer = new HTTPBearer();
    expectTypeOf<ValueOf<HTTPDigest>>().toEqualTypeOf<HTTPAuthorizationCredentials>();
    expectTypeOf<ValueOf<HTTPBase>>().toEqualTypeOf<HTTPAuthorizationCredentials>();
    expectTypeOf<ValueOf<typeof oidc>>().toEqualTypeOf<string>();
    const oidc = new OpenIdConnect({ openIdConnectUrl: "/x" });
    expectTypeOf<ValueOf<typeof oauth2>>().toEqualTypeOf<string>();
    const oauth2 = new OAuth2({ flows: { implicit: { authorizationUrl: "/a", scopes: {} } } });
  });

  it("may be undefined with autoError: false or a boolean known only at run time", () => {
    expectTypeOf<ValueOf<typeof a>>().toEqualTypeOf<string | undefined>();
    const a = new APIKeyQuery({ name: "k", autoError: false });
    expectTypeOf<ValueOf<typeof b>>().toEqualTypeOf<HTTPBasicCredentials | undefined>();
    const b = new HTTPBasic({ autoError: false });
    expectTypeOf<ValueOf<typeof c>>().toEqualTypeOf<HTTPAuthorizationCredentials | undefined>();
    const c = new HTTPBearer({ autoError: flag });
    expectTypeOf<ValueOf<typeof d>>().toEqualTypeOf<HTTPAuthorizationCredentials | undefined>();
    const d = new HTTPDigest({ autoError: false });
    expectTypeOf<ValueOf<typeof e>>().toEqualTypeOf<string | undefined>();
    const e = new OpenIdConnect({ openIdConnectUrl: "/x", autoError: false });
    expectTypeOf<ValueOf<typeof f>>().toEqualTypeOf<string | undefined>();
    const f = new OAuth2PasswordBearer({ tokenUrl: "/t", autoError: false });
  });

  it("reach the handler without casts", () => {
    const app = createApp();
    app.get("/", { needs: { key: new APIKeyHeader({ name: "x", autoError: false }), auth: new HTTPBearer() } }, ({ key, auth }) => {
      expectTypeOf(key).toEqualTypeOf<string | undefined>();
      expectTypeOf(auth).toEqualTypeOf<HTTPAuthorizationCredentials>();
      return null;
    });
  });
});

describe("scopes", () => {
  it("are checked against the OAuth2 scheme's declared scopes", () => {
    const code = new OAuth2AuthorizationCodeBearer({ authorizationUrl: "/a", tokenUrl: "/t", scopes: { read: "R", write: "W" } });
    const dep = dependency({ token: code }, ({ token }) => token);
    security(dep, ["read", "write"]);
    // @ts-expect-error "delete" is not declared
    security(dep, ["delete"]);
  });

  it("are free-form for schemes that declare none", () => {
    const dep = dependency({ auth: new OpenIdConnect({ openIdConnectUrl: "/x" }) }, ({ auth }) => auth);
    security(dep, ["openid", "anything"]);
  });
});
