import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL("./", import.meta.url));
const { exports } = JSON.parse(readFileSync(`${root}package.json`, "utf8")) as { exports: Record<string, { types?: string }> };

// Tests and examples import the package by its public name, as users do: each entry of the `exports`
// map is served from the source file its built types come from (`./dist/x/y.d.ts` → `src/x/y.ts`).
const alias = Object.entries(exports).flatMap(([subpath, target]) => {
  if (!target.types) return [];
  const name = subpath === "." ? "gatehouse" : `gatehouse/${subpath.slice(2)}`;
  return [{ find: new RegExp(`^${name}$`), replacement: `${root}src/${target.types.slice("./dist/".length, -".d.ts".length)}.ts` }];
});

export default defineConfig({
  resolve: { alias },
  test: {
    include: ["test/**/*.test.ts"],
    reporters: ["default", "./test/summary-reporter.ts"],
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
    testTimeout: 20_000,
    hookTimeout: 30_000,
    env: { GATEHOUSE_LOG_LEVEL: "silent" },
  },
});
