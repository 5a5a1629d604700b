/**
 * @module
 * The Lua scripts of the Redis store: each runs atomically on the server, so that saving a record with its
 * subject index, consuming a refresh token once, merging-then-publishing a revocation, and checking the
 * epoch before a heartbeat cannot interleave between instances.
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

// KEYS: revocation index (hash), its expiries (sorted set). ARGV: field, entry JSON, now ms, channel.
// Keeps the later `at` and expiry, publishes, and drops a few expired entries from the index.
export const REVOKE = `
local entry = cjson.decode(ARGV[2])
local old = redis.call('HGET', KEYS[1], ARGV[1])
if old then
  old = cjson.decode(old)
  if old.at > entry.at then entry.at = old.at end
  if old.expiresAt == cjson.null or entry.expiresAt == cjson.null then entry.expiresAt = cjson.null
  elseif old.expiresAt > entry.expiresAt then entry.expiresAt = old.expiresAt end
end
local now = tonumber(ARGV[3])
if entry.expiresAt ~= cjson.null and entry.expiresAt <= now then return 0 end
local json = cjson.encode(entry)
redis.call('HSET', KEYS[1], ARGV[1], json)
local score = '+inf'
if entry.expiresAt ~= cjson.null then score = string.format('%.0f', entry.expiresAt) end
redis.call('ZADD', KEYS[2], score, ARGV[1])
for _, field in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, 100)) do
  redis.call('HDEL', KEYS[1], field)
  redis.call('ZREM', KEYS[2], field)
end
redis.call('PUBLISH', ARGV[4], json)
return 1`;

// KEYS: epoch (hash: id, run, at). ARGV: a fresh id, the server's run_id, "1" when the data survives restarts.
// The epoch names the data set: a new one is made when the key is gone (restarted empty, flushed) or the
// server restarted without persistence. Returns id, at (ms) and the server's now (ms).
export const EPOCH = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local id = redis.call('HGET', KEYS[1], 'id')
local run = redis.call('HGET', KEYS[1], 'run')
if not id or (run ~= ARGV[2] and ARGV[3] ~= '1') then
  redis.call('HSET', KEYS[1], 'id', ARGV[1], 'run', ARGV[2], 'at', now)
  return {ARGV[1], tostring(now), tostring(now)}
end
if run ~= ARGV[2] then redis.call('HSET', KEYS[1], 'run', ARGV[2]) end
return {id, redis.call('HGET', KEYS[1], 'at'), tostring(now)}`;

// KEYS: epoch. ARGV: the epoch id this instance synced with, channel, beat. 0: the data set changed.
export const HEARTBEAT = `
if redis.call('HGET', KEYS[1], 'id') ~= ARGV[1] then return 0 end
redis.call('PUBLISH', ARGV[2], ARGV[3])
return 1`;
