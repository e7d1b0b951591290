/**
 * The Lua scripts behind every compound operation of the Redis-protocol stores (Redis and
 * Upstash share them). Each runs atomically on the server.
 * @note Keys are built inside the scripts from the prefix in ARGV[1], so the scripts suit a
 * single Redis node (or Upstash), not Redis Cluster.
 */
import { createHash } from 'node:crypto'

/** A script and its SHA-1 (for EVALSHA). */
export interface LuaScript {
  name: string
  body: string
  sha: string
}

const PRELUDE = `
local function remove_session(p, sid, mark, tomb)
  local skey = p .. 's:' .. sid
  local flat = redis.call('HGETALL', skey)
  redis.call('ZREM', p .. 'x', sid)
  if #flat == 0 then return nil end
  local m = {}
  for i = 1, #flat, 2 do m[flat[i]] = flat[i + 1] end
  redis.call('DEL', skey)
  redis.call('ZREM', p .. 'u:' .. m['userId'], sid)
  redis.call('ZREM', p .. 'd:' .. m['device'], sid)
  redis.call('SET', p .. 't:' .. m['tokenId'], mark .. '|' .. sid .. '|0', 'PX', tomb)
  local prev = m['prevTokenId']
  if prev and prev ~= '' then
    redis.call('SET', p .. 't:' .. prev, mark .. '|' .. sid .. '|' .. (m['rotatedAt'] or '0'), 'PX', tomb)
  end
  return flat
end
`

const script = (name: string, body: string): LuaScript => {
  const full = PRELUDE + body
  return { name, body: full, sha: createHash('sha1').update(full).digest('hex') }
}

/** ARGV: prefix, sid, userId, device, createdAt, maxPerUser, ttlMs, tokenId, lifeTtlMs, tombstoneTtlMs, deadline, fields… */
export const CREATE = script('create', `
local p, sid, uid, dev, created = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local max, life, tomb = tonumber(ARGV[6]), ARGV[9], ARGV[10]
local skey = p .. 's:' .. sid
redis.call('DEL', skey)
redis.call('HSET', skey, unpack(ARGV, 12))
redis.call('PEXPIRE', skey, ARGV[7])
redis.call('SET', p .. 't:' .. ARGV[8], 'c|' .. sid .. '|0', 'PX', life)
redis.call('ZADD', p .. 'x', ARGV[11], sid)
local dkey = p .. 'd:' .. dev
redis.call('ZADD', dkey, created, sid)
redis.call('PEXPIRE', dkey, life)
local ukey = p .. 'u:' .. uid
redis.call('ZADD', ukey, created, sid)
redis.call('PEXPIRE', ukey, life)
local live = {}
for _, m in ipairs(redis.call('ZRANGE', ukey, 0, -1)) do
  if m ~= sid then
    if redis.call('EXISTS', p .. 's:' .. m) == 1 then table.insert(live, m) else redis.call('ZREM', ukey, m) end
  end
end
local evicted = {}
for i = 1, #live + 1 - max do
  local flat = remove_session(p, live[i], 'v', tomb)
  if flat then table.insert(evicted, flat) end
end
return evicted
`)

/**
 * ARGV: prefix, tokenId[, now, idleMs, absoluteMs, refreshWindowMs, ip, device, slackMs]
 * -> nil | {entry, hgetall, touched (1 | 0)}; see FastTouch for when it touches.
 */
export const LOOKUP = script('lookup', `
local p = ARGV[1]
local v = redis.call('GET', p .. 't:' .. ARGV[2])
if not v then return nil end
local sid = string.match(v, '^[^|]*|([^|]*)|')
local skey = p .. 's:' .. sid
local flat = redis.call('HGETALL', skey)
if #ARGV < 9 or #flat == 0 or string.sub(v, 1, 1) ~= 'c' then return { v, flat, 0 } end
local f = {}
for i = 1, #flat, 2 do f[flat[i]] = flat[i + 1] end
local now = tonumber(ARGV[3])
local absoluteEnd = tonumber(f['createdAt']) + tonumber(ARGV[5])
local idleEnd = tonumber(f['lastSeenAt']) + tonumber(ARGV[4])
if now >= absoluteEnd or now >= idleEnd or tonumber(f['accessExpiresAt']) - now <= tonumber(ARGV[6])
  or f['ip'] ~= ARGV[7] or f['device'] ~= ARGV[8] then
  return { v, flat, 0 }
end
local deadline = math.min(now + tonumber(ARGV[4]), absoluteEnd)
redis.call('HSET', skey, 'lastSeenAt', ARGV[3])
redis.call('PEXPIRE', skey, math.max(1, deadline - now) + tonumber(ARGV[9]))
redis.call('ZADD', p .. 'x', deadline, sid)
return { v, flat, 1 }
`)

/** ARGV: prefix, sid, ttlMs, deadline, fields… -> 1 | 0 */
export const TOUCH = script('touch', `
local skey = ARGV[1] .. 's:' .. ARGV[2]
if redis.call('EXISTS', skey) == 0 then return 0 end
if #ARGV > 4 then redis.call('HSET', skey, unpack(ARGV, 5)) end
redis.call('PEXPIRE', skey, ARGV[3])
redis.call('ZADD', ARGV[1] .. 'x', ARGV[4], ARGV[2])
return 1
`)

/** ARGV: prefix, sid, expectTokenId, newTokenId, rotatedAt, lifeTtlMs, tombstoneTtlMs, fields… -> 1 | 0 */
export const ROTATE = script('rotate', `
local p, sid = ARGV[1], ARGV[2]
local skey = p .. 's:' .. sid
local cur = redis.call('HGET', skey, 'tokenId')
if not cur or cur ~= ARGV[3] then return 0 end
local prev = redis.call('HGET', skey, 'prevTokenId')
if prev and prev ~= '' then
  local pv = redis.call('GET', p .. 't:' .. prev)
  if pv and string.sub(pv, 1, 1) == 'p' then
    redis.call('SET', p .. 't:' .. prev, 'o' .. string.sub(pv, 2), 'PX', ARGV[7])
  end
end
redis.call('HSET', skey, 'tokenId', ARGV[4], 'prevTokenId', cur, 'rotatedAt', ARGV[5], unpack(ARGV, 8))
redis.call('HINCRBY', skey, 'refreshCount', 1)
redis.call('SET', p .. 't:' .. cur, 'p|' .. sid .. '|' .. ARGV[5], 'PX', ARGV[7])
redis.call('SET', p .. 't:' .. ARGV[4], 'c|' .. sid .. '|0', 'PX', ARGV[6])
return 1
`)

/** ARGV: prefix, sid, mark, tombstoneTtlMs -> nil | hgetall */
export const REMOVE = script('remove', `
return remove_session(ARGV[1], ARGV[2], ARGV[3], ARGV[4])
`)

/** ARGV: prefix, tokenId, state, ttlMs -> nil | previous entry */
export const MARK = script('mark', `
local key = ARGV[1] .. 't:' .. ARGV[2]
local v = redis.call('GET', key)
if not v then return nil end
redis.call('SET', key, ARGV[3] .. string.sub(v, 2), 'PX', ARGV[4])
return v
`)

/** ARGV: prefix, index key suffix (u:<id> or d:<fp>) -> {hgetall…}, oldest first */
export const LIST = script('list', `
local key = ARGV[1] .. ARGV[2]
local out = {}
for _, m in ipairs(redis.call('ZRANGE', key, 0, -1)) do
  local flat = redis.call('HGETALL', ARGV[1] .. 's:' .. m)
  if #flat == 0 then redis.call('ZREM', key, m) else table.insert(out, flat) end
end
return out
`)

/** ARGV: full key, now, cutoff, windowMs, limit, member -> {allowed, count, retryAfterMs} */
export const WINDOW = script('window', `
local key = ARGV[1]
redis.call('ZREMRANGEBYSCORE', key, '-inf', ARGV[3])
local n = redis.call('ZCARD', key)
if n < tonumber(ARGV[5]) then
  redis.call('ZADD', key, ARGV[2], ARGV[6])
  redis.call('PEXPIRE', key, ARGV[4])
  return { 1, n + 1, 0 }
end
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
return { 0, n, tonumber(oldest[2]) + tonumber(ARGV[4]) - tonumber(ARGV[2]) }
`)

/** ARGV: full key, owner -> 1 | 0 */
export const UNLOCK = script('unlock', `
if redis.call('GET', ARGV[1]) == ARGV[2] then return redis.call('DEL', ARGV[1]) end
return 0
`)
