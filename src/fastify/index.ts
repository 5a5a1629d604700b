/** @module gatehouse/fastify — the Fastify binding: the app, and the plugin for an existing Fastify app. */
export { App, createApp } from "./app.ts";
export type { AppOptions } from "./app.ts";
export { gatehouse } from "./plugin.ts";
export type { CompiledRoutes, GatehouseOptions } from "./plugin.ts";
