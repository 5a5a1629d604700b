/** A refusal is a value: the plan stops at it, the engine sends it as prepared, nothing runs after it. */
import { describe, expect, it } from "vitest";
import { createApp, dependency, gatehouseError, NotAuthenticatedError, Refusal } from "gatehouse";
import { OAuth2PasswordBearer } from "gatehouse/security";

const oauth2 = new OAuth2PasswordBearer({ tokenUrl: "token" });
const denied = new Refusal(gatehouseError("GH_INVALID_TOKEN"));
let ran = 0;
const gate = dependency({ token: oauth2 }, async ({ token }) => (token === "no" ? denied : { token }));

const app = createApp();
app.get("/gated", { needs: { caller: gate } }, ({ caller }) => {
  ran++;
  return { token: caller.token };
});

describe("refusals", () => {
  it("a scheme's refusal is one prepared answer: FastAPI's 401, same object every time", async () => {
    expect(oauth2.refusal).toBe(oauth2.refusal);
    expect(oauth2.refusal.error).toBeInstanceOf(NotAuthenticatedError);
    expect(oauth2.refusal.body).toBe('{"detail":"Not authenticated"}');
    const res = await app.inject("/gated");
    expect(res.statusCode).toBe(401);
    expect(res.headers["www-authenticate"]).toBe("Bearer");
    expect(res.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(res.body).toBe('{"detail":"Not authenticated"}');
    expect(ran).toBe(0);
  });

  it("a dependency may return a refusal: the handler does not run, the refusal is the answer", async () => {
    const res = await app.inject({ url: "/gated", headers: { authorization: "Bearer no" } });
    expect(res.statusCode).toBe(401);
    expect(res.headers["www-authenticate"]).toBe('Bearer error="invalid_token"');
    expect(res.json()).toEqual({ detail: "Could not validate credentials" });
    expect(ran).toBe(0);
    const ok = await app.inject({ url: "/gated", headers: { authorization: "Bearer yes" } });
    expect([ok.statusCode, ok.json()]).toEqual([200, { token: "yes" }]);
    expect(ran).toBe(1);
  });
});
