/** The consumer test's module for `npx gatehouse routes`: it exports a Router, and no app. */
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
