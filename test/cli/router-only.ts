/**
 * A module that exports a `Router` and no app, for `gatehouse routes` (`routes.test.ts`). Plain
 * JavaScript as well: the consumer test runs it as `router.mjs` from the installed package.
 */
import { dependency, Router, security } from "gatehouse";
import { OAuth2PasswordBearer } from "gatehouse/security";

const oauth2 = new OAuth2PasswordBearer({ tokenUrl: "token", scopes: { "notes:read": "Read notes." } });
const currentUser = dependency({ token: oauth2 }, function currentUser({ token }) {
  return token;
});

export const router = new Router({ prefix: "/notes" });
router.get("/", { needs: { user: security(currentUser, ["notes:read"]) } }, function listNotes() {
  return [];
});
