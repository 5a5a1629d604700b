/**
 * @module
 * The pages of `/authorize`: a login form, a consent page listing the scopes asked for with their
 * descriptions, and an error page. Plain server-rendered HTML with one stylesheet served by the router: no
 * script, no inline style, nothing from a CDN, so that they work under `default-src 'self'`. An app passes
 * its own render functions (`authorization.pages`) to replace any of them; each receives what it must show
 * and returns the HTML.
 */
import { escapeHtml } from "../../docs/html.ts";

/** What every page gets. */
interface PageView {
  /** The stylesheet's URL. */
  readonly stylesheet: string;
}

/** The app asking, as the user should see it. */
export interface ClientView {
  readonly id: string;
  readonly name: string;
  /** Where the user goes afterwards (the redirect URI's origin). */
  readonly origin: string;
}

export interface LoginView extends PageView {
  /** Where the form posts (`POST /authorize?…`, the request carried along). */
  readonly action: string;
  /** Goes back in the hidden `csrf` field. */
  readonly csrf: string;
  readonly client: ClientView;
  /** Why the last attempt failed, to show above the form. */
  readonly error?: string;
  /** The username last typed, to fill in again. */
  readonly username?: string;
}

export interface ConsentView extends PageView {
  readonly action: string;
  readonly csrf: string;
  readonly client: ClientView;
  /** Who is signed in. */
  readonly subject: string;
  /** The scopes asked for, with the descriptions of the app's scope map. */
  readonly scopes: readonly { readonly name: string; readonly description: string }[];
}

export interface ErrorView extends PageView {
  readonly status: number;
  /** The RFC 6749 §4.1.2.1 `error` code. */
  readonly error: string;
  readonly description: string;
}

/**
 * The pages; replace any with `authorization.pages`. The login form must post `username`, `password` and
 * `csrf`; the consent form `csrf` and `decision` (`allow` or `deny`), each to `action`.
 */
export interface AuthorizationPages {
  login(view: LoginView): string;
  consent(view: ConsentView): string;
  error(view: ErrorView): string;
}

const page = (view: PageView, title: string, body: string) => `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${escapeHtml(view.stylesheet)}">
</head>
<body>
<main class="card">
${body}
</main>
</body>
</html>
`;

/** The pages gatehouse ships. */
export const DEFAULT_PAGES: AuthorizationPages = {
  login: (view) =>
    page(
      view,
      "Sign in",
      `<h1>Sign in</h1>
<p><strong>${escapeHtml(view.client.name)}</strong> wants to access your account.</p>
${view.error ? `<p class="error" role="alert">${escapeHtml(view.error)}</p>\n` : ""}<form method="post" action="${escapeHtml(view.action)}">
<input type="hidden" name="csrf" value="${escapeHtml(view.csrf)}">
<label for="username">Username</label>
<input id="username" name="username" autocomplete="username" required autofocus value="${escapeHtml(view.username ?? "")}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>`,
    ),
  consent: (view) =>
    page(
      view,
      `Authorize ${view.client.name}`,
      `<h1>Authorize ${escapeHtml(view.client.name)}</h1>
<p>Signed in as <strong>${escapeHtml(view.subject)}</strong>.</p>
<p><strong>${escapeHtml(view.client.name)}</strong> asks to:</p>
<ul class="scopes">
${view.scopes.map((scope) => `<li><code>${escapeHtml(scope.name)}</code> ${escapeHtml(scope.description)}</li>`).join("\n") || "<li>know who you are</li>"}
</ul>
<p class="note">You will be sent back to <code>${escapeHtml(view.client.origin)}</code>. You can revoke this access at any time.</p>
<form method="post" action="${escapeHtml(view.action)}">
<input type="hidden" name="csrf" value="${escapeHtml(view.csrf)}">
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny" class="secondary">Deny</button>
</form>`,
    ),
  error: (view) =>
    page(
      view,
      "Authorization error",
      `<h1>Authorization error</h1>
<p class="error" role="alert">${escapeHtml(view.description)}</p>
<p class="note">Error code: <code>${escapeHtml(view.error)}</code>. Nothing was sent to the application.</p>`,
    ),
};

/** The pages' stylesheet, served as a file so that no inline style is needed. */
export const STYLESHEET = `body{font-family:system-ui,sans-serif;background:#f4f5f7;color:#1d2330;margin:0;padding:4rem 1rem}
.card{max-width:26rem;margin:auto;background:#fff;border-radius:.5rem;padding:2rem;box-shadow:0 1px 4px rgba(0,0,0,.12)}
h1{font-size:1.4rem;margin-top:0}
label{display:block;margin:.8rem 0 .2rem}
input{width:100%;box-sizing:border-box;padding:.5rem;border:1px solid #b8bfcc;border-radius:.3rem;font-size:1rem}
button{margin-top:1.2rem;padding:.55rem 1.2rem;border:0;border-radius:.3rem;background:#2f5bd3;color:#fff;font-size:1rem;cursor:pointer}
button.secondary{background:#e3e6ec;color:#1d2330;margin-left:.5rem}
.error{color:#a3162b}
.note{color:#5b6475;font-size:.9rem}
ul.scopes{padding-left:1.2rem}
code{background:#eef0f4;padding:0 .25rem;border-radius:.2rem}
`;
