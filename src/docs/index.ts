/** @module gatehouse/docs — the offline Swagger UI and ReDoc pages, engine-neutral. */
export { inlineAsset, notModified, redocBundle, SWAGGER_UI_FILES, swaggerUiAsset, swaggerUiVersion } from "./assets.ts";
export type { Asset, AssetSource } from "./assets.ts";
export type { JsonValue } from "./html.ts";
export { redocHtml } from "./redoc.ts";
export type { RedocPage } from "./redoc.ts";
export { REDIRECT_POLICY, REDOC_POLICY, swaggerUiPolicy } from "./policy.ts";
export { oauth2RedirectHtml, SWAGGER_UI_INIT_SCRIPT, swaggerUiHtml } from "./swagger-ui.ts";
export type { SwaggerUiOptions, SwaggerUiPage } from "./swagger-ui.ts";
