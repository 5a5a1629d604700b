/**
 * The package as a user gets it: `npm pack` (whose `prepack` builds), the tarball installed into fresh
 * projects, then (1) a strict TypeScript consumer (`moduleResolution: nodenext`, `skipLibCheck: false`) on
 * the lowest fastify and zod the peer ranges allow, compiled against @types/node 20 and against the newest,
 * and (2) a plain JavaScript (ESM) consumer on what npm installs by itself; each is started and asked over
 * HTTP. Installs come from npm's cache where `npm ci` filled it, else from the registry; no install script
 * runs (telemetry included). The fixtures are in `consumer/`.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const fixtures = fileURLToPath(new URL("./consumer/", import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { peerDependencies: Record<string, string>; overrides: Record<string, unknown> };
const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as { packages: Record<string, { version: string }> };
const TSC = join(root, "node_modules/typescript/bin/tsc");
const SECRET_KEY = "consumer-test-secret-0123456789abcdef0123456789";
const MINUTES = 60_000;

/** The version this repository's lockfile installs (of an alias too: `@types/node-latest`). */
const locked = (name: string) => lock.packages[`node_modules/${name}`]!.version;
/** The lowest version of a `^x.y.z` peer range. */
const lowest = (name: string) => pkg.peerDependencies[name]!.replace(/^\^/, "");

// npm as a user runs it, not as the `npm test` around this file configured it; no telemetry on install.
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
Object.assign(env, { SCARF_ANALYTICS: "false", DO_NOT_TRACK: "1", npm_config_fund: "false", npm_config_audit: "false", npm_config_update_notifier: "false" });

const exec = promisify(execFile);
async function run(command: string, args: string[], cwd: string, extra: Record<string, string> = {}): Promise<{ stdout: string; stderr: string }> {
  try {
    return await exec(command, args, { cwd, env: { ...env, ...extra }, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(" ")} failed in ${cwd}:\n${stdout ?? ""}\n${stderr ?? ""}`);
  }
}
const npmInstall = (cwd: string, ...specs: string[]) => run("npm", ["install", "--prefer-offline", "--ignore-scripts", "--no-audit", "--no-fund", ...specs], cwd);
/** The packages an `npm install` warned about for their `engines`. */
const badEngines = (output: string) => [...output.matchAll(/EBADENGINE Unsupported engine \{\s*package: '([^']+)'/g)].map((m) => m[1]!);

/** Start `node <file>` in `cwd`; resolves with the URL it prints once it listens. */
async function start(cwd: string, file: string, children: ChildProcess[]): Promise<string> {
  const child = spawn(process.execPath, [file], { cwd, env: { ...env, SECRET_KEY, GATEHOUSE_LOG_LEVEL: "silent" }, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${file} did not start within 60 s:\n${output}`)), 60_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /listening (http:\/\/\S+)/.exec(output)?.[1];
      if (url) clearTimeout(timer), resolve(url);
    };
    child.stdout.on("data", read);
    child.stderr.on("data", read);
    child.once("exit", (code) => (clearTimeout(timer), reject(new Error(`${file} exited with ${code}:\n${output}`))));
  });
}

/** A login, a protected call with and without the token, the docs page's policy; returns the document. */
async function exercise(url: string): Promise<{ components?: { schemas?: Record<string, unknown> } }> {
  const login = await fetch(`${url}/token`, { method: "POST", body: new URLSearchParams({ username: "ada", password: "lovelace", scope: "notes:read" }) });
  expect(login.status).toBe(200);
  const { access_token: token, token_type: type } = (await login.json()) as { access_token: string; token_type: string };
  expect(type).toBe("bearer");
  const note = await fetch(`${url}/notes/7`, { headers: { authorization: `Bearer ${token}` } });
  expect(note.status).toBe(200);
  expect(await note.json()).toEqual({ id: 7, text: "note 7", owner: "ada" });
  const anonymous = await fetch(`${url}/notes/7`);
  expect([anonymous.status, anonymous.headers.get("www-authenticate"), await anonymous.json()]).toEqual([401, "Bearer", { detail: "Not authenticated" }]);
  const docs = await fetch(`${url}/docs`);
  expect(docs.status).toBe(200);
  expect(docs.headers.get("content-security-policy")).toMatch(/script-src 'self';.*frame-ancestors 'none'/);
  expect(await docs.text()).not.toMatch(/<script>/);
  return (await (await fetch(`${url}/openapi.json`)).json()) as { components?: { schemas?: Record<string, unknown> } };
}

describe("the packed package, installed into fresh projects", () => {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-consumer-"));
  const children: ChildProcess[] = [];
  let tarball: string;
  let files: string[];

  beforeAll(async () => {
    const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", dir], root);
    // The prepack build may print before npm's JSON.
    const [packed] = JSON.parse(stdout.slice(stdout.indexOf("[\n"))) as { filename: string; files: { path: string }[] }[];
    tarball = join(dir, packed!.filename);
    files = packed!.files.map((file) => file.path);
  }, 5 * MINUTES);

  afterAll(() => {
    for (const child of children) child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  it("ships the build with its types, the CLI, and no sources, tests, maps or internal types", () => {
    expect(files).toEqual(expect.arrayContaining(["package.json", "README.md", "bin/gatehouse.mjs", "bin/routes.mjs", "dist/index.js", "dist/index.d.ts", "dist/tokens/stores/redis.d.ts"]));
    const code = files.filter((file) => file.startsWith("dist/") && file.endsWith(".js"));
    const types = new Set(files.filter((file) => file.endsWith(".d.ts")));
    expect(code.filter((file) => !file.includes("/internal/") && !types.has(file.replace(/\.js$/, ".d.ts")))).toEqual([]);
    expect(code).toContain("dist/tokens/internal/ledger.js"); // internal code runs; its types are not published
    expect(files.filter((file) => /\/internal\/.*\.d\.ts$|\.map$|^(src|test|examples|bench|scripts)\//.test(file))).toEqual([]);
  });

  it("a strict TypeScript consumer compiles (both @types/node) and serves over HTTP", async () => {
    const project = join(dir, "ts");
    mkdirSync(project);
    writeFileSync(
      join(project, "package.json"),
      JSON.stringify({
        name: "consumer-ts",
        private: true,
        type: "module",
        dependencies: { gatehouse: `file:${tarball}`, fastify: lowest("fastify"), zod: lowest("zod") },
        devDependencies: { "@types/node": locked("@types/node") },
        // The README's line for Node 20: Fastify's light-my-request 6.8 asks for cookie 2 (node >= 22).
        overrides: pkg.overrides,
      }),
    );
    const compilerOptions = { target: "ES2022", module: "nodenext", moduleResolution: "nodenext", strict: true, skipLibCheck: false, verbatimModuleSyntax: true, outDir: "out", types: ["node"] };
    writeFileSync(join(project, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["app.ts"] }));
    for (const file of ["app.ts", "redis.ts"]) copyFileSync(join(fixtures, file), join(project, file));

    const install = await npmInstall(project);
    expect(badEngines(install.stderr)).toEqual([]);
    await run(process.execPath, [TSC, "-p", "."], project);
    const document = await exercise(await start(project, "out/app.js", children));
    expect(Object.keys(document.components?.schemas ?? {})).toContain("Note");

    // The newest @types/node, and the Redis entry point once ioredis is there (its types are ioredis's).
    await npmInstall(project, `@types/node@${locked("@types/node-latest")}`, `ioredis@${locked("ioredis")}`);
    writeFileSync(join(project, "tsconfig.json"), JSON.stringify({ compilerOptions: { ...compilerOptions, noEmit: true }, files: ["app.ts", "redis.ts"] }));
    await run(process.execPath, [TSC, "-p", "."], project);
  }, 10 * MINUTES);

  it("a plain JavaScript consumer gets its peers from npm, no optional part, is told what to install, and has the CLI", async () => {
    const project = join(dir, "js");
    mkdirSync(project);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer-js", private: true, type: "module", dependencies: { gatehouse: `file:${tarball}` } }));
    for (const file of ["app.mjs", "peers.mjs"]) copyFileSync(join(fixtures, file), join(project, file));
    // The CLI test's router module has no type annotation: it is plain JavaScript too.
    copyFileSync(join(root, "test/cli/router-only.ts"), join(project, "router.mjs"));

    const install = await npmInstall(project);
    // gatehouse's own dependencies all run on Node 20; only Fastify's light-my-request may pull cookie 2.
    expect(badEngines(install.stderr).filter((name) => name !== "cookie")).toEqual([]);
    const { stdout: tree } = await run("npm", ["ls", "--all", "--omit=dev", "--parseable"], project);
    const installed = new Set(tree.split("\n").map((line) => line.split("node_modules/").at(-1)));
    for (const optional of ["better-sqlite3", "ioredis", "postgres", "redoc", "react", "core-js"]) expect(installed.has(optional), optional).toBe(false);
    for (const peer of ["fastify", "zod"]) expect(installed.has(peer), peer).toBe(true);
    const { stdout: size } = await run("du", ["-sk", "node_modules"], project);
    console.log(`consumer install: ${installed.size - 1} packages, ${Math.round(Number(size.split("\t")[0]) / 1024)} MB of node_modules`);

    await exercise(await start(project, "app.mjs", children));
    // The CLI ships, and prints a router through the gatehouse the module imports.
    const { stdout: routes } = await run("npx", ["--no-install", "gatehouse", "routes", "router.mjs"], project);
    expect(routes.split("\n")[0]).toBe('GET /notes/ → listNotes   security: OAuth2PasswordBearer ["notes:read"]');

    const { stdout } = await run(process.execPath, ["peers.mjs"], project);
    const cases = Object.fromEntries(stdout.trim().split("\n").map((line) => JSON.parse(line) as { name: string; code?: string; message?: string }).map((c) => [c.name, c]));
    const cwd = await run("pwd", ["-P"], project).then(({ stdout: out }) => out.trim());
    expect(cases["default store"]).toMatchObject({ code: "GH_MISSING_PEER" });
    expect(cases["default store"]!.message).toBe(
      `gatehouse: GATEHOUSE_STORE is not set: the default token store sqlite:.gatehouse/tokens.db (${cwd}/.gatehouse/tokens.db) needs the package "better-sqlite3", which is not installed: npm install better-sqlite3`,
    );
    expect(cases["redis url"]!.message).toBe('gatehouse: GATEHOUSE_STORE "redis://127.0.0.1:1/0" needs the package "ioredis", which is not installed: npm install ioredis');
    expect(cases["redis store"]!.message).toBe('gatehouse: the Redis token store (redis://127.0.0.1:1/0) needs the package "ioredis", which is not installed: npm install ioredis');
    expect(cases.redoc).toMatchObject({ code: "GH_MISSING_PEER" });
    expect(cases.redoc!.message).toContain('needs the package "redoc", which is not installed: npm install redoc');
  }, 10 * MINUTES);
});
