/** Per-operation `security`: scopes from route-, router- and app-level dependencies, and from `needs`. */
import { describe, expect, it } from "vitest";
import { createApp, dependency, Router, security, SecurityScopes } from "gatehouse";
import { OAuth2AuthorizationCodeBearer, OAuth2PasswordBearer } from "gatehouse/security";
import { expectValidOpenAPI31 } from "./validator.ts";

const password = new OAuth2PasswordBearer({ tokenUrl: "token", scopes: { read: "Read.", write: "Write.", admin: "Admin." } });
const code = new OAuth2AuthorizationCodeBearer({ authorizationUrl: "https://id.example/authorize", tokenUrl: "https://id.example/token", scopes: { openid: "OpenID." } });

const currentUser = dependency({ securityScopes: SecurityScopes, token: password }, function currentUser({ securityScopes }) {
  return securityScopes.scopes;
});
const partner = dependency({ token: code }, function partner({ token }) {
  return token;
});

function app() {
  const app = createApp({ dependencies: [security(currentUser, ["read"])] });
  const admin = new Router({ prefix: "/admin", dependencies: [security(currentUser, ["admin"])] });
  admin.get("/users", { dependencies: [security(currentUser, ["write"])] }, async function listUsers() {
    return [];
  });
  admin.get("/partners", { needs: { p: security(partner, ["openid"]) } }, async function listPartners() {
    return [];
  });
  app.include(admin);
  app.get("/open", async function open() {
    return "ok";
  });
  return app;
}

describe("operation security", () => {
  it("lists each scheme use with the scopes on its path, app-level dependencies first", async () => {
    const a = app();
    await a.ready();
    const { paths, components } = a.openapi();
    expect(paths["/admin/users"]!.get!.security).toEqual([
      { OAuth2PasswordBearer: ["read"] },
      { OAuth2PasswordBearer: ["admin"] },
      { OAuth2PasswordBearer: ["write"] },
    ]);
    expect(paths["/admin/partners"]!.get!.security).toEqual([
      { OAuth2PasswordBearer: ["read"] },
      { OAuth2PasswordBearer: ["admin"] },
      { OAuth2AuthorizationCodeBearer: ["openid"] },
    ]);
    expect(paths["/open"]!.get!.security).toEqual([{ OAuth2PasswordBearer: ["read"] }]);
    expect(Object.keys(components!.securitySchemes!)).toEqual(["OAuth2PasswordBearer", "OAuth2AuthorizationCodeBearer"]);
    expect(components!.securitySchemes!.OAuth2AuthorizationCodeBearer).toEqual({
      type: "oauth2",
      flows: { authorizationCode: { authorizationUrl: "https://id.example/authorize", tokenUrl: "https://id.example/token", scopes: { openid: "OpenID." } } },
    });
    await expectValidOpenAPI31(a.openapi());
    await a.close();
  });

  it("keeps security in the document of a route whose tree has a scheme only through unused dependencies", async () => {
    const a = createApp();
    a.get("/x", { dependencies: [security(currentUser, ["write"])] }, async function readX() {
      return 1;
    });
    await a.ready();
    expect(a.openapi().paths["/x"]!.get!.security).toEqual([{ OAuth2PasswordBearer: ["write"] }]);
    await a.close();
  });
});
