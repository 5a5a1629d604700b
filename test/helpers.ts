/** Shared test helpers: requests through `app.inject()`, never the network; a free port for servers of a test's own. */
import type { App } from "gatehouse";

export const SECRET_KEY = "09d25e094faa6ca2556c818166b7a9563b93f7099f6f0f4caa6cf63b88e8d3e7";

/** In CI (`GATEHOUSE_CI=1`) a test that needs a service must fail, not skip. */
export const inCI = process.env.GATEHOUSE_CI === "1";

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

/** POST a urlencoded form. */
export function postForm(app: App, url: string, form: Record<string, string>, headers: Record<string, string> = {}) {
  return app.inject({
    method: "POST",
    url,
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    payload: new URLSearchParams(form).toString(),
  });
}

export { freePort } from "./support/ports.ts";
