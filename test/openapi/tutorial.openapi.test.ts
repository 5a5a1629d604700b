/** The tutorial of seed 002 alone: its whole document equals FastAPI's, in OpenAPI 3.1 idioms. */
import { describe, expect, it } from "vitest";
import { expected, tutorialApp } from "./tutorial.ts";
import { expectValidOpenAPI31 } from "./validator.ts";

describe("the tutorial's document, whole", () => {
  it("equals FastAPI's, in OpenAPI 3.1 idioms", async () => {
    const tutorial = await tutorialApp();
    expect(tutorial.openapi()).toEqual(expected);
    expect(Object.keys(tutorial.openapi().paths["/token"]!.post!)).toEqual(["summary", "operationId", "requestBody", "responses"]);
    expect(Object.keys(tutorial.openapi().paths["/users/me/"]!.get!)).toEqual(["summary", "operationId", "responses", "security"]);
    await expectValidOpenAPI31(tutorial.openapi());
    await tutorial.close();
  });
});
