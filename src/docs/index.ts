/** @module gatehouse/docs — the offline Swagger UI and ReDoc pages, engine-neutral. */
export { inlineAsset, notModified, packageVersion, redocAsset, REDOC_FILES, SWAGGER_UI_FILES, swaggerUiAsset } from "./assets.ts";
export type { Asset, AssetSource } from "./assets.ts";
export type { JsonValue } from "./html.ts";
export { redocHtml } from "./redoc.ts";
export type { RedocPage } from "./redoc.ts";
export { oauth2RedirectHtml, swaggerUiHtml } from "./swagger-ui.ts";
export type { SwaggerUiOptions, SwaggerUiPage } from "./swagger-ui.ts";
