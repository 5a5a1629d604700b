/**
 * The fault suite: the same faults injected into every store, with app instances in processes of their own
 * talking over real sockets to real servers the suite starts itself. Each case checks the consistency
 * contract (`stores/store.ts`): an instance refuses a revoked token within the store's bound or answers
 * 503 — never accepts it silently. A store without the means for a fault (SQLite has no connection to
 * silence) skips that case with the reason. Propagation p50/p99 is printed, not asserted (timings on a
 * shared machine are noise); the bounds asserted are loose enough for a busy machine and far below what
 * the faults did before their fixes (60 s of acceptance, a 5 s freeze).
 */
import { performance } from "node:perf_hooks";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openStore, type RevocationEntry } from "gatehouse/tokens";
import { Instance, type InstanceStore } from "../support/instance.ts";
import { waitFor } from "../support/ports.ts";
import { percentile, pollAnswers, refused, sleep, slowestAnswerDuring, unavailable } from "./probe.ts";

/** One store's servers for the suite, and the faults it can inject. */
export interface FaultBackend {
  /** What instance A (and the test itself) opens: the server directly. */
  readonly store: InstanceStore;
  /** What instance B opens: through a proxy that can silence its connections, where there is one. */
  readonly proxied?: InstanceStore;
  /** Silence B's watch connection (subscription, LISTEN) the way a NAT drops it; returns how many were. */
  readonly silenceWatch?: () => number;
  /** The server restarts with none of its data. */
  readonly restartEmpty?: () => Promise<void>;
  /** Take the server away, and bring it back. */
  readonly outage?: { readonly stop: () => Promise<void>; readonly start: () => Promise<void> };
  /** Hold, from another process, the lock a revocation needs; resolves to its release. */
  readonly lock?: () => Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface FaultHarness {
  readonly name: string;
  /** `false` to run, or why the whole suite is skipped. */
  readonly skip: string | false;
  /** The store's stated bounds (ms): propagation, and detection of a silent watch connection. */
  readonly bound: { readonly propagationMs: number; readonly silenceMs?: number };
  /** Why a case this store cannot inject is skipped. */
  readonly why?: Partial<Record<"silence" | "restartEmpty" | "outage" | "lock", string>>;
  backend(): Promise<FaultBackend>;
}

/** Slack for a shared 2-core machine, added to every asserted bound. */
const SLACK_MS = 1500;

export function runFaultSuite(harness: FaultHarness): void {
  describe.skipIf(harness.skip)(`faults: ${harness.name}`, () => {
    let backend: FaultBackend;
    let a: Instance;
    let b: Instance;
    const extra: Instance[] = [];

    beforeAll(async () => {
      backend = await harness.backend();
      [a, b] = await Promise.all([Instance.start("A", backend.store), Instance.start("B", backend.proxied ?? backend.store)]);
      await Promise.all([a.waitState("ready", 20_000), b.waitState("ready", 20_000)]);
    }, 120_000);
    // On a failure, what the instances said last is the first thing to read.
    beforeEach(({ onTestFailed }) => onTestFailed(() => console.log([a, b].map((i) => `${i.name}:\n  ${i.lines.slice(-15).join("\n  ")}`).join("\n"))));
    afterAll(async () => {
      await Promise.all([a, b, ...extra].map((instance) => instance?.stop()));
      await backend?.close();
    }, 60_000);

    /** Both instances serve again (after a fault), a fresh login works on each. */
    async function healthy(): Promise<void> {
      await Promise.all([a.waitState("ready", 20_000), b.waitState("ready", 20_000)]);
      for (const instance of [a, b]) expect((await instance.items((await instance.login()).access_token)).status).toBe(200);
    }

    it("a revocation on one process is refused by another within the bound (p50/p99 printed); revoke-all and refresh reuse too", async () => {
      const fromCall: number[] = [];
      const fromReturn: number[] = [];
      for (let i = 0; i < 40; i++) {
        const { access_token } = await a.login();
        expect((await b.items(access_token)).status).toBe(200);
        const started = performance.now();
        expect((await a.revoke(access_token)).status).toBe(200);
        const returned = performance.now();
        const { last } = await pollAnswers(() => b.items(access_token), refused, harness.bound.propagationMs + SLACK_MS);
        expect([last.status, last.headers.get("www-authenticate")]).toEqual([401, 'Bearer error="invalid_token"']);
        fromCall.push(performance.now() - started);
        fromReturn.push(performance.now() - returned);
      }
      const ms = (values: number[]) => `p50 ${percentile(values, 50).toFixed(1)} ms, p99 ${percentile(values, 99).toFixed(1)} ms`;
      console.log(
        `[gatehouse] ${harness.name}: revocation propagation between two processes over ${fromCall.length} revocations (stated bound ${harness.bound.propagationMs} ms): ` +
          `from A's /revoke answering 200 to B refusing ${ms(fromReturn)}; from the /revoke call ${ms(fromCall)}`,
      );

      // Refresh reuse detected on B revokes the session A rotated. A retry of the newest generation within the
      // grace window gets its successor again (two tabs), so the reuse is of an older generation.
      const session = await a.login();
      const first = await a.refresh(session.refresh_token);
      expect(first.status).toBe(200);
      const rotated = await a.refresh((first.body as { refresh_token: string }).refresh_token);
      expect(rotated.status).toBe(200);
      const reuse = await b.refresh(session.refresh_token);
      expect(reuse.status).toBe(400);
      const next = rotated.body as { access_token: string; refresh_token: string };
      expect((await pollAnswers(() => a.items(next.access_token), refused, harness.bound.propagationMs + SLACK_MS)).last.status).toBe(401);
      expect((await a.refresh(next.refresh_token)).status).toBe(400);

      // Revoke-all on A reaches B's tokens, and a login on B right after works.
      const one = await a.login();
      const two = await b.login();
      expect((await a.revokeAll(one.access_token)).status).toBe(204);
      expect((await pollAnswers(() => b.items(two.access_token), refused, harness.bound.propagationMs + SLACK_MS)).last.status).toBe(401);
      expect((await b.refresh(two.refresh_token)).status).toBe(400);
      expect((await b.items((await b.login()).access_token)).status).toBe(200);
    }, 120_000);

    const silence = harness.why?.silence;
    it.skipIf(silence)(`a silently dead watch connection fails closed within its bound, then recovers${silence ? ` (skipped: ${silence})` : ""}`, async () => {
      const { access_token } = await a.login();
      expect((await b.items(access_token)).status).toBe(200);
      expect(backend.silenceWatch!()).toBeGreaterThan(0);
      expect((await a.revoke(access_token)).status).toBe(200);
      const { answers, last } = await pollAnswers(() => b.items(access_token), refused, 15_000);
      // Before the fix B answered 200 for as long as anyone looked, reporting itself healthy.
      const accepted = answers.filter(({ answer }) => answer.status === 200);
      const lastAccepted = accepted.at(-1)?.at ?? 0;
      console.log(`[gatehouse] ${harness.name}: silenced watch connection: B accepted the revoked token for ${lastAccepted.toFixed(0)} ms (${accepted.length} answers), then ${answers.some(({ answer }) => unavailable(answer)) ? "503 until it reconnected, then 401" : "401"}`);
      expect(lastAccepted).toBeLessThan((harness.bound.silenceMs ?? 0) + SLACK_MS);
      for (const { answer } of answers) expect(answer.status === 200 || refused(answer) || unavailable(answer)).toBe(true);
      expect(refused(last)).toBe(true);
      await healthy();
    }, 60_000);

    const restart = harness.why?.restartEmpty;
    it.skipIf(restart)(`the server restarted empty: no instance, not even one started afterwards, accepts what the others refuse${restart ? ` (skipped: ${restart})` : ""}`, async () => {
      const revoked = await a.login();
      const kept = await a.login();
      expect((await a.revoke(revoked.access_token)).status).toBe(200);
      expect((await pollAnswers(() => b.items(revoked.access_token), refused, harness.bound.propagationMs + SLACK_MS)).last.status).toBe(401);
      await backend.restartEmpty!();
      const c = await Instance.start("C", backend.store);
      extra.push(c);
      const deadline = performance.now() + 8000;
      let served = false;
      while (performance.now() < deadline) {
        for (const instance of [a, b, c]) {
          const answer = await instance.items(revoked.access_token);
          expect(refused(answer) || unavailable(answer), `${instance.name} answered ${answer.status}`).toBe(true);
        }
        served = (await c.items(kept.access_token)).status === 200;
        if (served && c.state === "ready") break;
        await sleep(20);
      }
      expect(served).toBe(true);
      await healthy();
      await c.waitState("ready");
      for (const instance of [a, b, c]) expect(refused(await instance.items(revoked.access_token)), `${instance.name} once settled`).toBe(true);
    }, 60_000);

    const outage = harness.why?.outage;
    it.skipIf(outage)(`the server goes away: the same 503 for every request, one log line per change of state, a revocation made meanwhile holds and is stored${outage ? ` (skipped: ${outage})` : ""}`, async () => {
      const good = await a.login();
      const leaked = await a.login();
      const mark = a.lines.length;
      await backend.outage!.stop();
      await a.waitState("down", 10_000);
      for (let i = 0; i < 30; i++) expect(unavailable(await a.items(good.access_token))).toBe(true);
      expect(unavailable(await a.revoke(leaked.access_token))).toBe(true);
      await backend.outage!.start();
      await healthy();
      expect((await a.items(good.access_token)).status).toBe(200);
      expect(refused(await a.items(leaked.access_token))).toBe(true);
      expect((await pollAnswers(() => b.items(leaked.access_token), refused, harness.bound.propagationMs + SLACK_MS)).last.status).toBe(401);
      // 31 answers of 503, and the log says it twice: down, back. No error log (level 50) with a stack per request.
      const lines = a.since(mark);
      expect(lines.filter((line) => line.startsWith("state ")).map((line) => line.split(" ")[1])).toEqual(["down", "ready"]);
      expect(lines.filter((line) => line.includes('"level":50'))).toEqual([]);
    }, 90_000);

    const lock = harness.why?.lock;
    it.skipIf(lock)(`a lock held by another process: revoke answers 503 within a bound, the event loop stays free, then it recovers${lock ? ` (skipped: ${lock})` : ""}`, async () => {
      const session = await a.login();
      const release = await backend.lock!();
      let took = 0;
      const { result, slowestMs } = await slowestAnswerDuring(a, async () => {
        const started = performance.now();
        const answer = await a.revoke(session.access_token);
        took = performance.now() - started;
        return answer;
      });
      console.log(`[gatehouse] ${harness.name}: revoke under a lock held by another process answered ${result.status} in ${took.toFixed(0)} ms; slowest other request meanwhile ${slowestMs.toFixed(0)} ms`);
      expect(unavailable(result)).toBe(true);
      // Before the fix: SQLite's busy_timeout froze the whole process 5 s per write.
      expect(took).toBeLessThan(2000 + SLACK_MS);
      expect(slowestMs).toBeLessThan(SLACK_MS);
      await release();
      await healthy();
      // The revocation answered 503 was enforced at once and written once the lock was gone.
      expect(refused(await a.items(session.access_token))).toBe(true);
      expect((await pollAnswers(() => b.items(session.access_token), refused, harness.bound.propagationMs + SLACK_MS)).last.status).toBe(401);
    }, 60_000);

    it("revoke-all racing refresh rotations (30 trials over a socket): nothing issued before or during it works, a login right after does", async () => {
      let survivors = 0;
      let rotatedDuring = 0;
      for (let trial = 0; trial < 30; trial++) {
        const session = await a.login();
        // The login in an earlier second than revoke-all, and the rotation started 0–5 ms before it: the
        // interleavings where a not-before floored to the second and a read of the records let the
        // rotated tokens through (issue 13 item 2).
        await sleep(1005 - (Date.now() % 1000));
        const rotation = a.refresh(session.refresh_token);
        await sleep(trial % 6);
        const revokeAll = await a.revokeAll(session.access_token);
        const rotated = await rotation;
        expect(revokeAll.status).toBe(204);
        expect(refused(await a.items(session.access_token))).toBe(true);
        if (rotated.status === 200) {
          rotatedDuring++;
          const next = rotated.body as { access_token: string; refresh_token: string };
          if ((await a.items(next.access_token)).status === 200) survivors++;
          if ((await a.refresh(next.refresh_token)).status === 200) survivors++;
        }
        expect((await a.items((await a.login()).access_token)).status).toBe(200);
      }
      console.log(`[gatehouse] ${harness.name}: revoke-all vs. refresh rotation: ${rotatedDuring} of 30 rotations succeeded meanwhile, ${survivors} tokens survived`);
      expect(survivors).toBe(0);
    }, 120_000);

    it("revoke-all is one entry, however many tokens the subject holds (400 never-expiring personal tokens)", async () => {
      const { access_token } = await a.login("bob", "builder");
      const minted: string[] = [];
      // In batches of 5: PostgreSQL's pool (4 connections, a 2 s deadline each) answers 503 when it queues too long.
      for (let i = 0; i < 400; i += 5) {
        const batch = await Promise.all(Array.from({ length: 5 }, () => a.request("/users/me/api-tokens", { method: "POST", headers: { authorization: `Bearer ${access_token}`, "content-type": "application/json" }, body: JSON.stringify({ scopes: ["items"], expires_in: null }) })));
        for (const res of batch) {
          expect(res.status).toBe(201);
          minted.push((res.body as { access_token: string }).access_token);
        }
      }
      const store = openStore(backend.store.url, backend.store.options);
      try {
        await waitFor(() => store.revocations().then(() => true), 10_000, "the test's own store handle to connect");
        const before = await store.revocations();
        const started = performance.now();
        expect((await a.revokeAll(access_token)).status).toBe(204);
        const took = performance.now() - started;
        const added = (await store.revocations()).filter((entry: RevocationEntry) => !before.some((old) => old.type === entry.type && old.id === entry.id));
        console.log(`[gatehouse] ${harness.name}: revoke-all of a subject with ${minted.length} never-expiring tokens took ${took.toFixed(0)} ms and wrote ${added.length} entry`);
        expect(added.map(({ type, id }) => ({ type, id }))).toEqual([{ type: "subject", id: "bob" }]);
        expect(added[0]!.expiresAt).toBeNull();
      } finally {
        await store.close();
      }
      for (const token of minted.filter((_, i) => i % 40 === 0)) {
        expect(refused(await a.items(token))).toBe(true);
        expect(refused((await pollAnswers(() => b.items(token), refused, harness.bound.propagationMs + SLACK_MS)).last)).toBe(true);
      }
    }, 120_000);
  });
}
