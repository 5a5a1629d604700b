/** What each operation documents: parameters, bodies, responses, names, tags, and what is left out. */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { body, cookie, createApp, dependency, header, path, query, Router } from "gatehouse";
import { expectValidOpenAPI31 } from "./validator.ts";

const Item = z.object({ name: z.string(), price: z.number(), tags: z.array(z.string()).default([]) }).meta({ id: "Item" });

function itemsApp() {
  const app = createApp({ title: "Shop", version: "2.1.0", description: "Items for sale." });
  const router = new Router({ prefix: "/items", tags: ["items"] });
  router.get(
    "/{item_id}",
    {
      needs: {
        item_id: path(z.coerce.number().int(), { description: "The item's id" }),
        q: query(z.string().optional(), { description: "Search" }),
        limit: query(z.coerce.number().default(10)),
        x_token: header(z.string()),
        session: cookie(z.string().optional(), { deprecated: true }),
      },
      response: Item,
    },
    async function readItem({ item_id }) {
      return { name: String(item_id), price: 1 };
    },
  );
  router.post("/", { needs: { item: body(Item) }, response: Item, status: 201 }, async function createItem({ item }) {
    return item;
  });
  router.put(
    "/{item_id}",
    { needs: { item_id: path(z.string()), item: body(Item, { embed: true }), importance: body(z.number().int().optional(), { embed: true }) } },
    async function updateItem() {
      return null;
    },
  );
  router.delete(
    "/{item_id}",
    {
      needs: { item_id: path(z.string()) },
      status: 204,
      deprecated: true,
      operationId: "remove",
      summary: "Remove an item",
      description: "Gone for good.",
      tags: ["admin"],
      responses: { 404: { description: "No such item", schema: z.object({ detail: z.string() }) } },
    },
    async function deleteItem() {},
  );
  app.include(router);
  app.get("/hidden", { includeInSchema: false }, () => "hidden");
  app.get("/health", () => ({ ok: true }));
  app.get("/users/{user_id}/avatar", function getHTTPAvatar() {
    return null;
  });
  const pagination = dependency({ page: query(z.coerce.number().int().default(1)) }, ({ page }) => page);
  app.get("/a", { needs: { p: pagination, again: pagination } }, async function listA() {
    return [];
  });
  return app;
}

async function documentOf(app: ReturnType<typeof createApp>) {
  await app.ready();
  const document = app.openapi();
  await app.close();
  return document;
}

describe("operations", () => {
  it("documents info, path, query, header and cookie parameters with their schemas", async () => {
    const document = await documentOf(itemsApp());
    expect(document.info).toEqual({ title: "Shop", version: "2.1.0", description: "Items for sale." });
    const read = document.paths["/items/{item_id}"]!.get!;
    expect(read.tags).toEqual(["items"]);
    expect(read.operationId).toBe("read_item_items__item_id__get");
    expect(read.summary).toBe("Read Item");
    expect(read.parameters).toEqual([
      {
        name: "item_id",
        in: "path",
        required: true,
        description: "The item's id",
        schema: { title: "Item Id", type: "integer", minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER },
      },
      { name: "q", in: "query", required: false, description: "Search", schema: { title: "Q", type: "string" } },
      { name: "limit", in: "query", required: false, schema: { title: "Limit", type: "number", default: 10 } },
      { name: "x-token", in: "header", required: true, schema: { title: "X-Token", type: "string" } },
      { name: "session", in: "cookie", required: false, deprecated: true, schema: { title: "Session", type: "string" } },
    ]);
    expect(read.responses["200"]!.content!["application/json"]!.schema).toEqual({ $ref: "#/components/schemas/Item-Output" });
    expect(read.responses["422"]).toEqual({
      description: "Validation Error",
      content: { "application/json": { schema: { $ref: "#/components/schemas/HTTPValidationError" } } },
    });
    await expectValidOpenAPI31(document);
  });

  it("documents a JSON body by its schema, and the input and output forms of one model apart", async () => {
    const document = await documentOf(itemsApp());
    const create = document.paths["/items/"]!.post!;
    expect(create.requestBody).toEqual({ content: { "application/json": { schema: { $ref: "#/components/schemas/Item-Input" } } }, required: true });
    expect(Object.keys(create.responses)).toEqual(["201", "422"]);
    expect(create.responses["201"]).toEqual({
      description: "Successful Response",
      content: { "application/json": { schema: { $ref: "#/components/schemas/Item-Output" } } },
    });
    const schemas = document.components!.schemas!;
    expect(schemas.Item).toBeUndefined();
    expect(schemas["Item-Input"]).toEqual({
      title: "Item",
      type: "object",
      properties: {
        name: { title: "Name", type: "string" },
        price: { title: "Price", type: "number" },
        tags: { title: "Tags", type: "array", items: { type: "string" }, default: [] },
      },
      required: ["name", "price"],
    });
    // What the app sends always has `tags` (the default) and nothing else.
    expect(schemas["Item-Output"]).toMatchObject({ title: "Item", required: ["name", "price", "tags"], additionalProperties: false });
  });

  it("gathers embedded body fields into FastAPI's Body_<operation id>", async () => {
    const document = await documentOf(itemsApp());
    const update = document.paths["/items/{item_id}"]!.put!;
    expect(update.requestBody).toEqual({
      content: { "application/json": { schema: { $ref: "#/components/schemas/Body_update_item_items__item_id__put" } } },
      required: true,
    });
    expect(document.components!.schemas!.Body_update_item_items__item_id__put).toEqual({
      title: "Body_update_item_items__item_id__put",
      type: "object",
      properties: { item: { $ref: "#/components/schemas/Item-Input" }, importance: { title: "Importance", type: "integer", minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER } },
      required: ["item"],
    });
  });

  it("takes overrides: operationId, summary, description, tags, deprecated, extra responses; 204 has no body", async () => {
    const document = await documentOf(itemsApp());
    const remove = document.paths["/items/{item_id}"]!.delete!;
    expect(remove).toMatchObject({
      tags: ["items", "admin"],
      summary: "Remove an item",
      description: "Gone for good.",
      operationId: "remove",
      deprecated: true,
    });
    expect(Object.keys(remove)).toEqual(["tags", "summary", "description", "operationId", "deprecated", "parameters", "responses"]);
    expect(remove.responses["204"]).toEqual({ description: "Successful Response" });
    expect(remove.responses["404"]).toEqual({
      description: "No such item",
      content: {
        "application/json": {
          schema: { type: "object", properties: { detail: { title: "Detail", type: "string" } }, required: ["detail"], additionalProperties: false },
        },
      },
    });
  });

  it("leaves out hidden routes and the 422 of routes without input; names anonymous handlers by path", async () => {
    const document = await documentOf(itemsApp());
    expect(document.paths["/hidden"]).toBeUndefined();
    const health = document.paths["/health"]!.get!;
    expect(health.operationId).toBe("health_get");
    expect(health.summary).toBe("GET /health");
    expect(Object.keys(health.responses)).toEqual(["200"]);
    expect(health.parameters).toBeUndefined();
    expect(health.security).toBeUndefined();
  });

  it("turns camelCase names into FastAPI's snake_case ids and documents undeclared path parameters", async () => {
    const document = await documentOf(itemsApp());
    const avatar = document.paths["/users/{user_id}/avatar"]!.get!;
    expect(avatar.operationId).toBe("get_http_avatar_users__user_id__avatar_get");
    expect(avatar.summary).toBe("Get Http Avatar");
    expect(avatar.parameters).toEqual([{ name: "user_id", in: "path", required: true, schema: { title: "User Id", type: "string" } }]);
  });

  it("documents a parameter once however many dependencies reach it", async () => {
    const document = await documentOf(itemsApp());
    expect(document.paths["/a"]!.get!.parameters).toEqual([
      { name: "page", in: "query", required: false, schema: { title: "Page", type: "integer", default: 1, minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER } },
    ]);
  });

  it("gives recursive schemas components of their own, so no reference points at the document's root", async () => {
    const Category = z.object({ name: z.string(), get children() {
      return z.array(Category);
    } });
    const Link: z.ZodType = z.lazy(() => z.object({ next: Link.optional() }));
    const app = createApp();
    app.get("/categories", { response: Category }, async function readCategories() {
      return { name: "root", children: [] };
    });
    app.post("/links", { needs: { link: body(z.object({ head: Link })) } }, async function postLinks() {
      return null;
    });
    const document = await documentOf(app);
    expect(document.paths["/categories"]!.get!.responses["200"]!.content!["application/json"]!.schema).toEqual({ $ref: "#/components/schemas/Schema1" });
    expect(document.components!.schemas!.Schema1).toMatchObject({ properties: { children: { items: { $ref: "#/components/schemas/Schema1" } } } });
    expect(document.components!.schemas!.Schema2).toMatchObject({ properties: { next: { $ref: "#/components/schemas/Schema2" } } });
    await expectValidOpenAPI31(document);
  });

  it("makes a Zod id a valid component name", async () => {
    const app = createApp();
    app.get("/offer", { response: z.object({ price: z.number() }).meta({ id: "Special Offer (2025)" }) }, async function readOffer() {
      return { price: 1 };
    });
    const document = await documentOf(app);
    expect(Object.keys(document.components!.schemas!)).toEqual(["Special_Offer__2025_"]);
    await expectValidOpenAPI31(document);
  });

  it("fails start-up when two operations share an operationId", async () => {
    const app = createApp();
    app.get("/a", { operationId: "same" }, () => 1);
    app.get("/b", { operationId: "same" }, () => 2);
    const failure = app.ready();
    await expect(failure).rejects.toThrow(TypeError);
    await expect(failure).rejects.toMatchObject({ code: "GH_OPERATION_ID_CONFLICT", message: 'gatehouse: GET /a and GET /b both have the operationId "same"; give one another `operationId`' });
  });

  it("sets servers to the prefix the plugin is mounted under", async () => {
    const { default: Fastify } = await import("fastify");
    const { gatehouse } = await import("gatehouse");
    const router = new Router();
    router.get("/x", async function readX() {
      return 1;
    });
    const fastify = Fastify();
    await fastify.register(gatehouse(router, { info: { title: "Mounted" } }), { prefix: "/api" });
    const res = await fastify.inject("/api/openapi.json");
    expect(res.json().servers).toEqual([{ url: "/api" }]);
    expect(Object.keys(res.json().paths)).toEqual(["/x"]);
    expect((await fastify.inject("/api/x")).json()).toBe(1);
    await fastify.close();
  });
});
