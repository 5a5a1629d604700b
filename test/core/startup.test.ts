/** Misdeclared routes fail start-up with a clear message, not the first request. */
import { describe, expect, it } from "vitest";
import { createApp, Dependency, dependency, security, type Needs } from "gatehouse";
import { OAuth2PasswordBearer } from "gatehouse/security";

const scheme = new OAuth2PasswordBearer({ tokenUrl: "token", scopes: { me: "Me.", items: "Items." } });

describe("start-up checks", () => {
  it("fails on a dependency cycle, naming it", async () => {
    // Forward references go through the needs thunk; that is also how a cycle can be written.
    const a: Dependency<unknown, string> = dependency((): Needs => ({ b }), function a() {});
    const b: Dependency<unknown, string> = dependency((): Needs => ({ a }), function b() {});
    const app = createApp({ fastify: { logger: false } });
    app.get("/x", { needs: { a } }, () => "never");
    await expect(app.ready()).rejects.toThrow("gatehouse: dependency cycle: a → b → a");
  });

  it("fails on a scope the tree's OAuth2 scheme does not declare", async () => {
    const user = dependency({ token: scheme }, ({ token }) => token);
    const app = createApp({ fastify: { logger: false } });
    // @ts-expect-error "itmes" is not a declared scope: the compiler already says so
    app.get("/x", { needs: { u: security(user, ["itmes"]) } }, () => "never");
    await expect(app.ready()).rejects.toThrow(
      'gatehouse: GET /x requires scope "itmes" via security(anonymous, ["itmes"]), but its OAuth2 scheme OAuth2PasswordBearer declares only: "me", "items"',
    );
  });

  it("leaves scopes alone when no scheme of the tree declares a scope map", async () => {
    const plain = new OAuth2PasswordBearer({ tokenUrl: "token" });
    const user = dependency({ token: plain }, function user({ token }) {
      return token;
    });
    const app = createApp({ fastify: { logger: false } });
    app.get("/x", { needs: { u: security(user, ["anything"]) } }, ({ u }) => u);
    await app.ready();
    expect((await app.inject({ url: "/x", headers: { authorization: "Bearer t" } })).json()).toBe("t");
  });

  it("fails on something in needs that cannot be injected", async () => {
    const app = createApp({ fastify: { logger: false } });
    const bogus = { nope: 42 } as unknown as Needs;
    app.get("/x", { needs: bogus }, () => "never");
    await expect(app.ready()).rejects.toThrow("needs.nope is not something gatehouse can inject");
  });

  it("resolves forward references declared with a thunk", async () => {
    const outer = dependency(() => ({ inner }), ({ inner }) => `outer(${inner})`);
    const inner = dependency(() => "inner");
    const app = createApp({ fastify: { logger: false } });
    app.get("/x", { needs: { outer } }, ({ outer }) => outer);
    expect((await app.inject("/x")).json()).toBe("outer(inner)");
  });
});
