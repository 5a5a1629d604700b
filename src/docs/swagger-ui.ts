/**
 * @module
 * The Swagger UI page (FastAPI's `get_swagger_ui_html`) and its OAuth2 redirect page, with every file
 * served by the app itself: no CDN, no fonts, no validator badge calling validator.swagger.io, and no
 * inline script, so that a strict Content-Security-Policy (`policy.ts`, helmet's) lets them run.
 */
import { escapeHtml, scriptJson, type JsonValue } from "./html.ts";

/** Options for Swagger UI and its Authorize dialog. */
export interface SwaggerUiOptions {
  /** Pre-filled `client_id` in the Authorize dialog. */
  readonly clientId?: string;
  /** Scopes ticked in advance in the Authorize dialog. */
  readonly scopes?: readonly string[];
  /** Application name shown in the Authorize dialog. */
  readonly appName?: string;
  /** Use PKCE (RFC 7636) in the authorization-code flow, as browser clients should. */
  readonly usePkceWithAuthorizationCodeGrant?: boolean;
  /** Extra query parameters for the authorization URL (e.g. `{ audience: "…" }`). */
  readonly additionalQueryStringParams?: Readonly<Record<string, string>>;
  /** Keep the authorization across page reloads (Swagger UI stores it in `localStorage`). */
  readonly persistAuthorization?: boolean;
  /** Any other Swagger UI parameter (FastAPI's `swagger_ui_parameters`), e.g. `{ docExpansion: "none" }`. */
  readonly parameters?: Readonly<Record<string, JsonValue>>;
}

export interface SwaggerUiPage {
  readonly title: string;
  readonly openapiUrl: string;
  /** Where the files of `SWAGGER_UI_FILES` are served, without a trailing slash. */
  readonly assetsUrl: string;
  /** `?v=…` appended to asset URLs so that a new version is fetched anew. */
  readonly version: string;
  /** Path of the OAuth2 redirect page, or `null` for none. */
  readonly oauth2RedirectUrl: string | null;
  /** URL of {@link SWAGGER_UI_INIT_SCRIPT} as the app serves it. */
  readonly initScriptUrl: string;
  readonly options?: SwaggerUiOptions;
}

/** FastAPI's `swagger_ui_default_parameters`, plus no validator (it would call validator.swagger.io). */
const DEFAULT_PARAMETERS = {
  dom_id: "#swagger-ui",
  layout: "BaseLayout",
  deepLinking: true,
  showExtensions: true,
  showCommonExtensions: true,
  validatorUrl: null,
} as const;

/**
 * Swagger UI's initialiser, a served file rather than an inline script so that the page works under a
 * `script-src 'self'` policy (helmet's default). It reads what the page is configured with from the
 * page's JSON data block, which a policy does not block: data is not run.
 */
export const SWAGGER_UI_INIT_SCRIPT = `"use strict";
(function () {
  var config = JSON.parse(document.getElementById("swagger-ui-config").textContent);
  var parameters = config.parameters;
  if (config.oauth2RedirectUrl !== null) parameters.oauth2RedirectUrl = window.location.origin + config.oauth2RedirectUrl;
  parameters.presets = [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset];
  var ui = SwaggerUIBundle(parameters);
  if (config.initOAuth) ui.initOAuth(config.initOAuth);
  window.ui = ui;
})();
`;

/** The Swagger UI page: the bundle, the initialiser (`initScriptUrl`), and their configuration as data. */
export function swaggerUiHtml(page: SwaggerUiPage): string {
  const { options = {} } = page;
  const parameters: Record<string, JsonValue> = { url: page.openapiUrl, ...DEFAULT_PARAMETERS, ...options.parameters };
  if (options.persistAuthorization !== undefined) parameters.persistAuthorization = options.persistAuthorization;
  const config = { parameters, oauth2RedirectUrl: page.oauth2RedirectUrl, initOAuth: initOAuthOf(options) ?? null };
  const asset = (file: string) => escapeHtml(`${page.assetsUrl}/${file}?v=${page.version}`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
<link type="text/css" rel="stylesheet" href="${asset("swagger-ui.css")}">
<link rel="icon" type="image/png" href="${asset("favicon-32x32.png")}">
</head>
<body>
<div id="swagger-ui"></div>
<script id="swagger-ui-config" type="application/json">${scriptJson(config)}</script>
<script src="${asset("swagger-ui-bundle.js")}"></script>
<script src="${escapeHtml(page.initScriptUrl)}"></script>
</body>
</html>
`;
}

function initOAuthOf(options: SwaggerUiOptions): Record<string, JsonValue> | undefined {
  const init: Record<string, JsonValue> = {};
  if (options.clientId !== undefined) init.clientId = options.clientId;
  if (options.scopes !== undefined) init.scopes = options.scopes.join(" ");
  if (options.appName !== undefined) init.appName = options.appName;
  if (options.usePkceWithAuthorizationCodeGrant !== undefined) init.usePkceWithAuthorizationCodeGrant = options.usePkceWithAuthorizationCodeGrant;
  if (options.additionalQueryStringParams !== undefined) init.additionalQueryStringParams = options.additionalQueryStringParams;
  return Object.keys(init).length > 0 ? init : undefined;
}

/**
 * The page the authorization server redirects the browser to in the authorization-code and implicit
 * flows; swagger-ui-dist's own script hands the code or token back to the Swagger UI window.
 */
export function oauth2RedirectHtml(scriptUrl: string): string {
  return `<!DOCTYPE html>
<html lang="en-US">
<head><meta charset="utf-8"><title>Swagger UI: OAuth2 Redirect</title></head>
<body>
<script src="${escapeHtml(scriptUrl)}"></script>
</body>
</html>
`;
}
