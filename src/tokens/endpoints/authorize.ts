/**
 * @module
 * `GET /authorize` and the forms that post back to it (RFC 6749 §4.1.1–4.1.2). Read off the steps:
 * checkRequest (an error page, or an error sent to the client) → the session → the login page, or the
 * consent page → allow: a code for the client, deny: `access_denied`, both sent to its redirect URI with
 * `state` and `iss` (RFC 9207). Each form carries the request in its action URL, is checked against its
 * session's CSRF token, and checks the whole request again.
 */
import { z } from "zod";
import { gatehouseError, HTTPException } from "../../core/errors.ts";
import { HttpRequest, HttpResponse, type ResponseView } from "../../core/markers.ts";
import { form } from "../../core/params.ts";
import type { RequestView } from "../../core/request.ts";
import type { Router } from "../../core/router.ts";
import { millis, systemClock } from "../internal/clock.ts";
import { checkAuthorizationRequest, type AuthorizationRequest, type CheckedRequest } from "./authorize-request.ts";
import { DEFAULT_PAGES, STYLESHEET, type AuthorizationPages, type ClientView } from "./authorize-pages.ts";
import { Sessions, type Session } from "./authorize-session.ts";
import type { AuthenticatedSubject, AuthorizationOptions, Endpoints } from "./options.ts";
import { checkPassword } from "./password.ts";

const AuthorizeForm = z.object({
  csrf: z.string().optional(),
  username: z.string().optional(),
  password: z.string().optional(),
  decision: z.string().optional(),
});
type AuthorizeForm = z.output<typeof AuthorizeForm>;

/**
 * Every page: no caching, no framing (a consent button must not be clickjacked), no script or style but
 * the server's own, no referrer (the URL carries the request).
 */
const PAGE_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "no-store",
  "content-security-policy": "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

/** Register `GET /authorize`, `POST /authorize` and the pages' stylesheet. */
export function addAuthorizeRoutes(router: Router, endpoints: Endpoints, authorization: AuthorizationOptions): void {
  const { options, registry } = endpoints;
  const { tokens } = options;
  const path = endpoints.paths.authorize;
  const pages: AuthorizationPages = { ...DEFAULT_PAGES, ...authorization.pages };
  const stylesheet = `${path}/style.css`;
  const sessions = new Sessions({
    secret: authorization.sessionSecret,
    ttl: authorization.sessionTtl ?? 3600,
    path,
    secure: () => tokens.issuer?.startsWith("https:") ?? false,
    now: () => millis(tokens.options.now ?? systemClock),
  });
  const common = { includeInSchema: false, public: true, tags: options.tags } as const;

  function checkRequest(request: RequestView): CheckedRequest {
    return checkAuthorizationRequest(request.query, registry, authorization.scopes);
  }

  function refuse(response: ResponseView, checked: Exclude<CheckedRequest, { ok: true }>): Buffer {
    if ("page" in checked) return errorPage(response, checked.page);
    const { uri, state, error } = checked.redirect;
    return redirect(response, withParams(uri, { error: error.oauthError, error_description: String(error.detail), state, iss: tokens.issuer }));
  }

  function errorPage(response: ResponseView, error: HTTPException): Buffer {
    return html(response, error.status, pages.error({ stylesheet, status: error.status, error: error.oauthError ?? "invalid_request", description: String(error.detail) }));
  }

  function loginPage(request: RequestView, response: ResponseView, checked: AuthorizationRequest, failure?: { status: number; error: string; username?: string }): Buffer {
    // A new anonymous session for the form's CSRF token, unless the browser already holds one.
    let session = sessions.read(request);
    if (!session || failure) {
      session = sessions.anonymous();
      response.headers["set-cookie"] = sessions.cookie(session);
    }
    const view = { stylesheet, action: actionOf(request), csrf: sessions.csrf(session), client: clientView(checked), ...(failure ? { error: failure.error, username: failure.username } : {}) };
    return html(response, failure?.status ?? 200, pages.login(view));
  }

  function consentPage(request: RequestView, response: ResponseView, checked: AuthorizationRequest, session: Session & { sub: string }): Buffer {
    const scopes = grantable(checked, session).map((name) => ({ name, description: authorization.scopes[name] ?? "" }));
    return html(response, 200, pages.consent({ stylesheet, action: actionOf(request), csrf: sessions.csrf(session), client: clientView(checked), subject: session.sub, scopes }));
  }

  async function logIn(request: RequestView, response: ResponseView, checked: AuthorizationRequest, body: AuthorizeForm): Promise<Buffer> {
    if (!sessions.checkCsrf(sessions.read(request), body.csrf)) return loginPage(request, response, checked, { status: 403, error: gatehouseError("GH_FORM_EXPIRED").detail as string });
    const username = body.username ?? "";
    const client = { id: checked.client.id, confidential: false, registered: true, introspect: false, grants: checked.client.grants };
    let user: AuthenticatedSubject | undefined;
    try {
      user = body.password ? await checkPassword(endpoints, { username, password: body.password, scopes: checked.scopes, client }, request.ip) : undefined;
    } catch (error) {
      // The login page answers the throttle's 429 (and a full hashing queue's 503) as a page, with its Retry-After.
      if (!(error instanceof HTTPException) || (error.status !== 429 && error.status !== 503)) throw error;
      Object.assign(response.headers, error.headers);
      return loginPage(request, response, checked, { status: error.status, error: String(error.detail), username });
    }
    if (!user) return loginPage(request, response, checked, { status: 400, error: options.invalidCredentialsDetail ?? "Incorrect username or password", username });
    // A fresh session id once logged in: a session planted before login is worth nothing.
    response.headers["set-cookie"] = sessions.cookie(sessions.loggedIn(user.subject, user.scopes));
    return redirect(response, actionOf(request));
  }

  async function decide(request: RequestView, response: ResponseView, checked: AuthorizationRequest, body: AuthorizeForm): Promise<Buffer> {
    const session = sessions.read(request);
    if (!sessions.checkCsrf(session, body.csrf) || session.sub === undefined) return loginPage(request, response, checked, { status: 403, error: gatehouseError("GH_FORM_EXPIRED").detail as string });
    const { client, redirectUri, redirectUriSent, state, challenge } = checked;
    const scopes = grantable(checked, session);
    // Only an explicit "allow" grants anything.
    if (body.decision !== "allow") return refuse(response, { ok: false, redirect: { uri: redirectUri, state, error: gatehouseError("GH_ACCESS_DENIED") } });
    const code = await tokens.issueCode({ subject: session.sub, client: client.id, scopes, redirectUri, redirectUriSent, challenge, ...(session.authTime ? { authTime: session.authTime } : {}) });
    return redirect(response, withParams(redirectUri, { code, state, iss: tokens.issuer }));
  }

  router.get(path, { ...common, needs: { request: HttpRequest, response: HttpResponse }, name: "authorize" }, function authorize({ request, response }) {
    const checked = checkRequest(request);
    if (!checked.ok) return refuse(response, checked);
    const session = sessions.read(request);
    return session?.sub === undefined ? loginPage(request, response, checked.request) : consentPage(request, response, checked.request, { ...session, sub: session.sub });
  });

  router.post(
    path,
    { ...common, needs: { request: HttpRequest, response: HttpResponse, body: form(AuthorizeForm) }, name: "authorizeForm" },
    async function authorizeForm({ request, response, body }) {
      const checked = checkRequest(request);
      if (!checked.ok) return refuse(response, checked);
      return body.decision === undefined ? logIn(request, response, checked.request, body) : decide(request, response, checked.request, body);
    },
  );

  const css = Buffer.from(STYLESHEET, "utf8");
  router.get(stylesheet, { ...common, needs: { response: HttpResponse }, name: "authorizeStylesheet" }, function authorizeStylesheet({ response }) {
    response.headers["content-type"] = "text/css; charset=utf-8";
    response.headers["cache-control"] = "public, max-age=86400";
    return css;
  });
}

/** The scopes asked for that the user may grant: all, unless `authenticate` limited them. */
function grantable(checked: AuthorizationRequest, session: Session): readonly string[] {
  const allowed = session.scopes;
  return allowed ? checked.scopes.filter((scope) => allowed.includes(scope)) : checked.scopes;
}

function html(response: ResponseView, status: number, body: string): Buffer {
  response.status = status;
  Object.assign(response.headers, PAGE_HEADERS);
  return Buffer.from(body, "utf8");
}

/** 303: the browser follows with a GET, whatever the method that led here. */
function redirect(response: ResponseView, location: string): Buffer {
  response.status = 303;
  response.headers.location = location;
  response.headers["cache-control"] = "no-store";
  response.headers["referrer-policy"] = "no-referrer";
  return Buffer.alloc(0);
}

/** `uri` with the answer's parameters added to its query (RFC 6749 §4.1.2: keep the query it has). */
function withParams(uri: string, params: Record<string, string | undefined>): string {
  const url = new URL(uri);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.append(name, value);
  return url.href;
}

/** This very request's URL, where its forms post (and a login returns to). */
function actionOf(request: RequestView): string {
  return `${request.path}?${new URLSearchParams(request.query as Record<string, string>)}`;
}

function clientView(checked: AuthorizationRequest): ClientView {
  return { id: checked.client.id, name: checked.client.name, origin: new URL(checked.redirectUri).origin };
}
