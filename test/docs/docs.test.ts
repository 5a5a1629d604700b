/** The docs pages through `app.inject()`: their HTML, their policies, their files with cache headers, and the URL options. */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import helmet from "@fastify/helmet";
import { createApp, gatehouse, Router, type AppOptions } from "gatehouse";
import { OAuth2AuthorizationCodeBearer } from "gatehouse/security";

const require = createRequire(import.meta.url);
const swaggerVersion = (require("swagger-ui-dist/package.json") as { version: string }).version;
const redocVersion = (require("redoc/package.json") as { version: string }).version;

async function appWith(options: AppOptions = {}) {
  const app = createApp({ title: "Docs <test>", ...options });
  app.get("/ping", async function ping() {
    return "pong";
  });
  await app.ready();
  return app;
}

/** Every URL a page loads: `src` and `href` attributes. */
function loadedUrls(html: string): string[] {
  return [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]!);
}

/** What the Swagger UI page hands its initialiser: the JSON of its data block. */
function configOf(html: string): { parameters: Record<string, unknown>; oauth2RedirectUrl: string | null; initOAuth: Record<string, unknown> | null } {
  const json = /<script id="swagger-ui-config" type="application\/json">(.*?)<\/script>/s.exec(html)?.[1];
  expect(json, "the page's configuration block").toBeDefined();
  return JSON.parse(json!);
}

const SWAGGER_UI_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

describe("/docs (Swagger UI)", () => {
  it("serves a page that loads Swagger UI from the app, the document from /openapi.json", async () => {
    const app = await appWith();
    const res = await app.inject("/docs");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(res.headers["cache-control"]).toBe("no-cache");
    expect(res.headers.etag).toMatch(/^"[\w-]{27}"$/);
    expect(res.body).toContain("<title>Docs &#60;test&#62; - Swagger UI</title>");
    const [css, icon, bundle, init] = loadedUrls(res.body);
    expect([css, icon, bundle]).toEqual([`/docs/assets/swagger-ui.css?v=${swaggerVersion}`, `/docs/assets/favicon-32x32.png?v=${swaggerVersion}`, `/docs/assets/swagger-ui-bundle.js?v=${swaggerVersion}`]);
    expect(init).toMatch(/^\/docs\/assets\/gatehouse-init\.js\?v=[\w-]{12}$/);
    expect(configOf(res.body)).toEqual({
      parameters: { url: "/openapi.json", dom_id: "#swagger-ui", layout: "BaseLayout", deepLinking: true, showExtensions: true, showCommonExtensions: true, validatorUrl: null },
      oauth2RedirectUrl: "/docs/oauth2-redirect",
      initOAuth: null,
    });
    expect(res.body).not.toMatch(/https?:\/\//);
    await app.close();
  });

  it("runs no inline script and may not be framed: its policy allows scripts from the app only", async () => {
    const app = await appWith();
    const res = await app.inject("/docs");
    expect(res.headers["content-security-policy"]).toBe(SWAGGER_UI_POLICY);
    // Every <script> either loads a file or is data (a policy does not block data: it is not run).
    for (const [tag] of res.body.matchAll(/<script[^>]*>/g)) expect(tag).toMatch(/ src="|type="application\/json"/);
    const init = await app.inject(loadedUrls(res.body)[3]!);
    expect(init.statusCode).toBe(200);
    expect(init.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(init.headers["cache-control"]).toBe("public, max-age=604800");
    expect(init.body).toContain('JSON.parse(document.getElementById("swagger-ui-config").textContent)');
    const redirect = await app.inject("/docs/oauth2-redirect");
    expect(redirect.headers["content-security-policy"]).toBe("default-src 'none'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'");
    await app.close();
  });

  it("lets the Authorize dialog reach another server's token endpoint named in the document", async () => {
    const app = createApp();
    const scheme = new OAuth2AuthorizationCodeBearer({ authorizationUrl: "https://idp.example/authorize", tokenUrl: "https://idp.example:8443/token", refreshUrl: "/refresh" });
    app.get("/me", { needs: { token: scheme } }, ({ token }) => ({ token }));
    await app.ready();
    const policy = (await app.inject("/docs")).headers["content-security-policy"] as string;
    expect(policy).toContain("; connect-src 'self' https://idp.example:8443; ");
    await app.close();
  });

  it("keeps the policy the app sets itself, as @fastify/helmet does", async () => {
    const app = createApp();
    await app.fastify.register(helmet);
    await app.ready();
    for (const url of ["/docs", "/docs/oauth2-redirect"]) {
      const policy = (await app.inject(url)).headers["content-security-policy"] as string;
      expect(policy, url).toContain("script-src 'self';");
      expect(policy, url).not.toBe(SWAGGER_UI_POLICY);
    }
    await app.close();
  });

  it("answers a matching If-None-Match with 304 and no body", async () => {
    const app = await appWith();
    const first = await app.inject("/docs");
    const again = await app.inject({ url: "/docs", headers: { "if-none-match": first.headers.etag as string } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe("");
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(again.headers["cache-control"]).toBe("no-cache");
    const weak = await app.inject({ url: "/docs", headers: { "if-none-match": `"other", W/${first.headers.etag}` } });
    expect(weak.statusCode).toBe(304);
    const stale = await app.inject({ url: "/docs", headers: { "if-none-match": '"other"' } });
    expect(stale.statusCode).toBe(200);
    await app.close();
  });

  it.each([
    ["swagger-ui-bundle.js", "text/javascript; charset=utf-8"],
    ["swagger-ui.css", "text/css; charset=utf-8"],
    ["favicon-32x32.png", "image/png"],
    ["oauth2-redirect.js", "text/javascript; charset=utf-8"],
  ])("serves %s from swagger-ui-dist, cacheable for a week", async (file, type) => {
    const app = await appWith();
    const res = await app.inject(`/docs/assets/${file}?v=${swaggerVersion}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe(type);
    expect(res.headers["cache-control"]).toBe("public, max-age=604800");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers.etag).toMatch(/^"[\w-]{27}"$/);
    expect(res.rawPayload.equals(readFileSync(require.resolve(`swagger-ui-dist/${file}`)))).toBe(true);
    const cached = await app.inject({ url: `/docs/assets/${file}`, headers: { "if-none-match": res.headers.etag as string } });
    expect(cached.statusCode).toBe(304);
    await app.close();
  });

  it("serves nothing else from the assets folder", async () => {
    const app = await appWith();
    for (const url of ["/docs/assets/package.json", "/docs/assets/../package.json", "/docs/assets/swagger-ui-bundle.js.map", "/docs/assets/"]) {
      expect((await app.inject(url)).statusCode, url).toBe(404);
    }
    await app.close();
  });

  it("serves the OAuth2 redirect page, which runs swagger-ui-dist's redirect script", async () => {
    const app = await appWith();
    const res = await app.inject("/docs/oauth2-redirect");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(loadedUrls(res.body)).toEqual([`/docs/assets/oauth2-redirect.js?v=${swaggerVersion}`]);
    await app.close();
  });

  it("passes the Authorize dialog's options and other Swagger UI parameters to the page", async () => {
    const app = await appWith({
      swaggerUi: {
        clientId: "docs-client",
        scopes: ["me", "items"],
        usePkceWithAuthorizationCodeGrant: true,
        persistAuthorization: true,
        parameters: { docExpansion: "none", syntaxHighlight: { theme: "</script><script>alert(1)</script>" } },
      },
    });
    const { body } = await app.inject("/docs");
    const config = configOf(body);
    expect(config.parameters).toMatchObject({ docExpansion: "none", persistAuthorization: true, syntaxHighlight: { theme: "</script><script>alert(1)</script>" } });
    expect(config.initOAuth).toEqual({ clientId: "docs-client", scopes: "me items", usePkceWithAuthorizationCodeGrant: true });
    // A parameter cannot close the data block it is written into.
    expect(body.match(/<\/script>/g)).toHaveLength(3);
    expect(body).toContain("\\u003c/script>\\u003cscript>alert(1)\\u003c/script>");
    await app.close();
  });
});

describe("ReDoc (opt-in)", () => {
  it("is off unless redocUrl is set", async () => {
    const app = await appWith();
    expect((await app.inject("/redoc")).statusCode).toBe(404);
    await app.close();
  });

  it("serves ReDoc from the app, without Google Fonts", async () => {
    const app = await appWith({ redocUrl: "/redoc" });
    const res = await app.inject("/redoc");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(res.headers["cache-control"]).toBe("no-cache");
    expect(res.body).toContain("<title>Docs &#60;test&#62; - ReDoc</title>");
    expect(res.body).toContain('<redoc spec-url="/openapi.json"></redoc>');
    // ReDoc always shows Redocly's logo from cdn.redoc.ly; the policy keeps that request from being made.
    expect(res.headers["content-security-policy"]).toBe(
      "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
    );
    expect(loadedUrls(res.body)).toEqual(["data:,", `/redoc/assets/redoc.standalone.js?v=${redocVersion}`]);
    expect(res.body).not.toMatch(/https?:\/\//);
    const script = await app.inject(`/redoc/assets/redoc.standalone.js?v=${redocVersion}`);
    expect(script.statusCode).toBe(200);
    expect(script.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(script.headers["cache-control"]).toBe("public, max-age=604800");
    expect(script.rawPayload.equals(readFileSync(require.resolve("redoc/bundles/redoc.standalone.js")))).toBe(true);
    await app.close();
  });
});

describe("docs URL options", () => {
  it("moves each page, the redirect page following the docs by default", async () => {
    const app = await appWith({ openapiUrl: "/api/schema.json", docsUrl: "/api/docs", redocUrl: "/api/redoc" });
    const docs = await app.inject("/api/docs");
    expect(docs.statusCode).toBe(200);
    expect(configOf(docs.body)).toMatchObject({ parameters: { url: "/api/schema.json" }, oauth2RedirectUrl: "/api/docs/oauth2-redirect" });
    expect((await app.inject("/api/docs/oauth2-redirect")).statusCode).toBe(200);
    expect((await app.inject("/api/docs/assets/swagger-ui.css")).statusCode).toBe(200);
    expect((await app.inject("/api/redoc")).body).toContain('spec-url="/api/schema.json"');
    for (const gone of ["/docs", "/redoc", "/openapi.json", "/docs/oauth2-redirect"]) expect((await app.inject(gone)).statusCode, gone).toBe(404);
    await app.close();
  });

  it("switches each page off with null", async () => {
    const app = await appWith({ docsUrl: null, redocUrl: null });
    for (const url of ["/docs", "/redoc", "/docs/oauth2-redirect", "/docs/assets/swagger-ui.css", "/redoc/assets/redoc.standalone.js"]) {
      expect((await app.inject(url)).statusCode, url).toBe(404);
    }
    expect((await app.inject("/openapi.json")).statusCode).toBe(200);
    await app.close();
    const noRedirect = await appWith({ swaggerUiOAuth2RedirectUrl: null });
    expect((await noRedirect.inject("/docs/oauth2-redirect")).statusCode).toBe(404);
    expect(configOf((await noRedirect.inject("/docs")).body).oauth2RedirectUrl).toBeNull();
    await noRedirect.close();
  });

  it("serves no docs without a document", async () => {
    const app = await appWith({ openapiUrl: null });
    for (const url of ["/docs", "/redoc", "/openapi.json"]) expect((await app.inject(url)).statusCode, url).toBe(404);
    await app.close();
  });

  it.each([
    ["docsUrl", "docs"],
    ["redocUrl", "/re doc"],
    ["swaggerUiOAuth2RedirectUrl", "/docs/:id"],
    ["docsUrl", "/docs?x=1"],
  ] as const)("refuses %s = %j at start-up with a TypeError naming it", async (option, value) => {
    const app = createApp({ [option]: value });
    await expect(app.ready()).rejects.toThrow(TypeError);
    await expect(createApp({ [option]: value }).ready()).rejects.toThrow(new RegExp(`^gatehouse: ${option} must be a path`));
  });

  it("links pages and files under the prefix the plugin is mounted at", async () => {
    const router = new Router();
    router.get("/ping", async function ping() {
      return "pong";
    });
    const fastify = Fastify();
    await fastify.register(gatehouse(router, { info: { title: "Mounted" } }), { prefix: "/v1" });
    const docs = await fastify.inject("/v1/docs");
    expect(docs.statusCode).toBe(200);
    expect(loadedUrls(docs.body)).toContain(`/v1/docs/assets/swagger-ui-bundle.js?v=${swaggerVersion}`);
    expect(configOf(docs.body)).toMatchObject({ parameters: { url: "/v1/openapi.json" }, oauth2RedirectUrl: "/v1/docs/oauth2-redirect" });
    expect((await fastify.inject("/v1/docs/assets/swagger-ui-bundle.js")).statusCode).toBe(200);
    expect((await fastify.inject(loadedUrls(docs.body)[3]!)).statusCode).toBe(200);
    await fastify.close();
  });
});
