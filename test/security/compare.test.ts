import { describe, expect, it, vi } from "vitest";
import { safeCompare } from "gatehouse/security";

const calls = vi.hoisted(() => ({ lengths: [] as [number, number][] }));
vi.mock("node:crypto", async (importOriginal) => {
  const crypto = await importOriginal<typeof import("node:crypto")>();
  return {
    ...crypto,
    timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
      calls.lengths.push([a.byteLength, b.byteLength]);
      return crypto.timingSafeEqual(a, b);
    },
  };
});

describe("safeCompare", () => {
  it("is true for equal secrets", () => {
    expect(safeCompare("s3cr3t", "s3cr3t")).toBe(true);
    expect(safeCompare("", "")).toBe(true);
    expect(safeCompare("pässwörd ☃", "pässwörd ☃")).toBe(true);
  });

  it("is false for different secrets, also ones that share a prefix or differ only in case or length", () => {
    expect(safeCompare("s3cr3t", "s3cr3T")).toBe(false);
    expect(safeCompare("s3cr3t", "s3cr3")).toBe(false);
    expect(safeCompare("s3cr3t", "s3cr3t ")).toBe(false);
    expect(safeCompare("", "x")).toBe(false);
    expect(safeCompare("a".repeat(10_000), "a".repeat(10_001))).toBe(false);
  });

  it("compares strings as UTF-8, so a string equals its bytes", () => {
    expect(safeCompare("päss", Buffer.from("päss", "utf8"))).toBe(true);
    expect(safeCompare("päss", Buffer.from("päss", "latin1"))).toBe(false);
    expect(safeCompare(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true);
  });

  it("always ends in one timingSafeEqual of two 32-byte digests, whatever the lengths", () => {
    calls.lengths.length = 0;
    safeCompare("short", "a much longer candidate secret");
    safeCompare("", "x".repeat(1000));
    safeCompare("same", "same");
    expect(calls.lengths).toEqual([
      [32, 32],
      [32, 32],
      [32, 32],
    ]);
  });

  it("rejects what is not a string or bytes, rather than comparing `undefined`", () => {
    // @ts-expect-error undefined is not a secret
    expect(() => safeCompare(undefined, "x")).toThrow(TypeError);
    // @ts-expect-error numbers are not secrets
    expect(() => safeCompare("1", 1)).toThrow(TypeError);
  });
});
