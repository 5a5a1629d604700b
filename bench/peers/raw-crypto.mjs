/**
 * @module
 * The practical limit: node:http and node:crypto HS256 (createHmac, timingSafeEqual), no framework, no JWT library.
 */
import { sign, verify } from "../lib/hs256.mjs";
import { serveRaw } from "../lib/raw-http.mjs";

serveRaw("raw node:http + node:crypto", { sign, verify });
