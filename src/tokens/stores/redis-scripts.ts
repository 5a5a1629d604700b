/**
 * @module
 * The Lua scripts of the Redis store: each runs atomically on the server, so that saving a record with its
 * subject index, consuming a refresh token once, and merging-then-publishing a revocation cannot interleave
 * between instances.
 */

// KEYS: record, subject index, consumed mark. ARGV: record JSON, TTL ms or "", key, now ms.
export const SAVE = `
if ARGV[2] == '' then redis.call('SET', KEYS[1], ARGV[1]) else redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
redis.call('DEL', KEYS[3])
local score = '+inf'
if ARGV[2] ~= '' then score = tostring(tonumber(ARGV[4]) + tonumber(ARGV[2])) end
redis.call('ZADD', KEYS[2], score, ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[4])
local top = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
if top[2] == 'inf' then redis.call('PERSIST', KEYS[2]) else redis.call('PEXPIREAT', KEYS[2], math.ceil(tonumber(top[2]))) end
return 1`;

// KEYS: record, consumed mark. ARGV: now ms. The mark lives as long as the record, so reuse stays detectable.
export const CONSUME = `
local ttl = redis.call('PTTL', KEYS[1])
if ttl == -2 then return 0 end
local ok
if ttl > 0 then ok = redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ttl) else ok = redis.call('SET', KEYS[2], ARGV[1], 'NX') end
if ok then return 1 else return 0 end`;

// KEYS: revocation. ARGV: entry JSON, now ms, channel. Keeps the later `at` and expiry, then publishes.
export const REVOKE = `
local entry = cjson.decode(ARGV[1])
local old = redis.call('GET', KEYS[1])
if old then
  old = cjson.decode(old)
  if old.at > entry.at then entry.at = old.at end
  if old.expiresAt == cjson.null or entry.expiresAt == cjson.null then entry.expiresAt = cjson.null
  elseif old.expiresAt > entry.expiresAt then entry.expiresAt = old.expiresAt end
end
local json = cjson.encode(entry)
if entry.expiresAt == cjson.null then redis.call('SET', KEYS[1], json)
else
  local ttl = math.ceil(entry.expiresAt - tonumber(ARGV[2]))
  if ttl <= 0 then return 0 end
  redis.call('SET', KEYS[1], json, 'PX', ttl)
end
redis.call('PUBLISH', ARGV[3], json)
return 1`;
