/** The security tree of seed 002, printed: route → dependency → sub-dependency, scopes, scheme. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createApp, dependency, depends, query, security, SecurityScopes, type App } from "gatehouse";
import { formatRouteTree } from "gatehouse/openapi";
import { OAuth2PasswordBearer } from "gatehouse/security";
import { tutorialApp } from "./tutorial.ts";

// The seed itself is printed by test/cli/routes.test.ts; here its tutorial's routes alone.
let app: App;
beforeAll(async () => {
  app = await tutorialApp();
});
afterAll(() => app.close());

const SEED_TREE = `POST /token → loginForAccessToken   security: none
└─ formData: OAuth2PasswordRequestForm
   └─ body: form

GET /users/me/ → readUsersMe   security: OAuth2PasswordBearer ["me"]
└─ currentUser: getCurrentActiveUser
   └─ currentUser: getCurrentUser   adds ["me"]   SecurityScopes ["me"]
      └─ token: OAuth2PasswordBearer   scheme oauth2 password   requires ["me"]

GET /users/me/items/ → readOwnItems   security: OAuth2PasswordBearer ["items", "me"]
└─ currentUser: getCurrentActiveUser   adds ["items"]
   └─ currentUser: getCurrentUser   adds ["me"]   SecurityScopes ["items", "me"]
      └─ token: OAuth2PasswordBearer   scheme oauth2 password   requires ["items", "me"]

GET /status/ → readSystemStatus   security: OAuth2PasswordBearer []
└─ currentUser: getCurrentUser   SecurityScopes []
   └─ token: OAuth2PasswordBearer   scheme oauth2 password   requires []`;

/** The line of `dependency` in the block of `route`. */
function lineOf(tree: string, route: string, dependency: string): string | undefined {
  const block = tree.split("\n\n").find((b) => b.startsWith(`${route} `));
  return block?.split("\n").find((line) => line.includes(`: ${dependency} `) || line.endsWith(`: ${dependency}`));
}

describe("route security tree", () => {
  it("draws the tutorial's tree as seed 002 explains it", () => {
    expect(app.securityTree()).toBe(SEED_TREE);
    expect(formatRouteTree(app.compiledRoutes)).toBe(SEED_TREE);
  });

  it("shows the SecurityScopes getCurrentUser receives under each route", () => {
    const tree = app.securityTree();
    expect(lineOf(tree, "GET /users/me/items/", "getCurrentUser")).toContain('SecurityScopes ["items", "me"]');
    expect(lineOf(tree, "GET /users/me/", "getCurrentUser")).toContain('SecurityScopes ["me"]');
    expect(lineOf(tree, "GET /status/", "getCurrentUser")).toContain("SecurityScopes []");
  });

  // Siblings do not leak into each other: `me` sees only its own path, not the app-level ["a"].
  it("shows unused dependencies, parameters with their wire names, and reuse of a cached result", async () => {
    const oauth2 = new OAuth2PasswordBearer({ tokenUrl: "token", scopes: { a: "A.", b: "B." } });
    const user = dependency({ securityScopes: SecurityScopes, token: oauth2 }, function user({ securityScopes }) {
      return securityScopes.scopes;
    });
    const paging = dependency({ page: query(z.coerce.number().default(1)), perPage: query(z.coerce.number().default(10), { alias: "per_page" }) }, function paging({ page }) {
      return page;
    });
    const other = createApp({ dependencies: [security(user, ["a"])] });
    other.get("/x", { needs: { first: depends(paging), second: depends(paging), me: security(user, ["b"]) } }, async function readX() {
      return 1;
    });
    await other.ready();
    expect(other.securityTree()).toBe(`GET /x → readX   security: OAuth2PasswordBearer ["a", "b"]
├─ dependencies[0]: user   adds ["a"]   SecurityScopes ["a"]
│  └─ token: OAuth2PasswordBearer   scheme oauth2 password   requires ["a"]
├─ first: paging
│  ├─ page: query
│  └─ perPage: query "per_page"
├─ second: paging   (cached)
└─ me: user   adds ["b"]   SecurityScopes ["b"]
   └─ token: OAuth2PasswordBearer   scheme oauth2 password   requires ["b"]`);
    await other.close();
  });
});
