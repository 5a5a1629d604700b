/** Validates documents with a maintained OpenAPI validator, references included. */
import { Validator } from "@seriousme/openapi-schema-validator";
import { expect } from "vitest";

/** Fails the test unless `document` is valid OpenAPI 3.1 and every `$ref` in it resolves. */
export async function expectValidOpenAPI31(document: unknown): Promise<void> {
  const validator = new Validator();
  const result = await validator.validate(structuredClone(document) as Parameters<Validator["validate"]>[0]);
  expect(result.errors ?? [], JSON.stringify(result.errors, null, 1)).toEqual([]);
  expect(result.valid).toBe(true);
  expect(validator.version).toBe("3.1");
  expect(() => validator.resolveRefs()).not.toThrow();
}
