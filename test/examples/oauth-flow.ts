/**
 * A person at the authorization endpoint, without a browser: fetch the login page, post the form with its
 * CSRF token and cookie, then the consent page's button, following what a browser would (cookies, the
 * form's action, 303s). Over a real socket, against `examples/oauth-server.ts` on port 0.
 */
import { expect } from "vitest";

export interface Visit {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
  /** The cookie the browser now holds (`name=value`), if any. */
  readonly cookie: string | undefined;
}

/** GET or POST like a browser's form: no redirect followed, the cookie sent and kept. */
export async function visit(url: string, options: { cookie?: string; form?: Record<string, string> } = {}): Promise<Visit> {
  const headers: Record<string, string> = {};
  if (options.cookie) headers.cookie = options.cookie;
  const res = await fetch(url, { method: options.form ? "POST" : "GET", headers, body: options.form ? new URLSearchParams(options.form) : undefined, redirect: "manual" });
  const set = res.headers.get("set-cookie");
  return { status: res.status, headers: res.headers, body: await res.text(), cookie: set ? set.split(";")[0] : options.cookie };
}

/** The form of a page: its action (absolute) and hidden CSRF token. */
export function formOf(base: string, page: Visit): { action: string; csrf: string } {
  const action = /<form method="post" action="([^"]+)">/.exec(page.body)?.[1];
  const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)?.[1];
  expect(action && csrf, "a form with an action and a csrf field").toBeTruthy();
  return { action: new URL(action!.replace(/&#38;/g, "&"), base).href, csrf: csrf! };
}

/**
 * Log in and press a consent button: the URL the browser is sent back to (the client's redirect URI with
 * `code` or `error`, `state` and `iss`).
 */
export async function consent(base: string, authorizationUrl: string, options: { username?: string; password?: string; decision?: "allow" | "deny" } = {}): Promise<URL> {
  const login = await visit(authorizationUrl);
  expect(login.status).toBe(200);
  expect(login.body).toContain('name="username"');
  const form = formOf(base, login);
  const posted = await visit(form.action, { cookie: login.cookie, form: { csrf: form.csrf, username: options.username ?? "johndoe", password: options.password ?? "secret" } });
  expect(posted.status, posted.body).toBe(303);
  const page = await visit(new URL(posted.headers.get("location")!, base).href, { cookie: posted.cookie });
  expect(page.status).toBe(200);
  expect(page.body).toContain('name="decision" value="allow"');
  const consentForm = formOf(base, page);
  const decided = await visit(consentForm.action, { cookie: page.cookie, form: { csrf: consentForm.csrf, decision: options.decision ?? "allow" } });
  expect(decided.status).toBe(303);
  return new URL(decided.headers.get("location")!);
}
