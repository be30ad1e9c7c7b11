"""The one Lua script the Redis backend runs (all operations, dispatched on ARGV[1]).

KEYS[1] is the budget's state hash, KEYS[2] its concurrency-lease sorted set; both carry
the same ``{hash tag}`` so they live in one cluster slot. Time is the Redis server's
``TIME`` (plus ARGV[2] milliseconds, an offset used by tests), in float milliseconds.
Floats are stored and returned as strings with microsecond precision, because Redis turns
Lua numbers into integers.

State hash fields: ``block`` (no admission before this time), one TAT per GCRA rule
(``rpm``, ``tpm``, ``itpm``, ``otpm``), and ``<rule>:d`` / ``<rule>:n`` (quota day and
count) per daily rule. Both keys get a PEXPIRE covering the longest-lived state they hold,
so idle budgets vanish by themselves.
"""

from __future__ import annotations

import hashlib

__all__ = ["SCRIPT", "SCRIPT_SHA"]

SCRIPT = r"""
local state = KEYS[1]
local slots = KEYS[2]
local op = ARGV[1]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000 + tonumber(ARGV[2])
local DAY = 86400000

local function fmt(x) return string.format('%.3f', x) end

local function keep(key, need)
  need = math.ceil(need) + 1000
  if redis.call('PTTL', key) < need then redis.call('PEXPIRE', key, need) end
end

if op == 'acquire' then
  local ng = tonumber(ARGV[3])
  local di = 4 + ng * 4
  local nd = tonumber(ARGV[di])
  local ci = di + 1 + nd * 4
  local hf = {'block'}
  for j = 1, ng do hf[#hf + 1] = ARGV[4 + (j - 1) * 4] end
  for j = 1, nd do
    local f = ARGV[di + 1 + (j - 1) * 4]
    hf[#hf + 1] = f .. ':d'
    hf[#hf + 1] = f .. ':n'
  end
  local vals = redis.call('HMGET', state, unpack(hf))
  local wait, reason = 0, ''
  local block = tonumber(vals[1])
  if block and block > now then wait = block - now; reason = 'retry_after' end
  local sets, need = {}, 0
  for j = 1, ng do
    local b = 4 + (j - 1) * 4
    local interval, tau, cost = tonumber(ARGV[b + 1]), tonumber(ARGV[b + 2]), tonumber(ARGV[b + 3])
    local tat = tonumber(vals[1 + j]) or now
    if tat < now then tat = now end
    local inc = cost * interval
    local allow = tat + inc - math.max(tau, inc)
    if allow - now > wait then wait = allow - now; reason = ARGV[b] end
    sets[#sets + 1] = ARGV[b]
    sets[#sets + 1] = fmt(tat + inc)
    if tat + inc - now > need then need = tat + inc - now end
  end
  local days = {}
  for j = 1, nd do
    local b = di + 1 + (j - 1) * 4
    local f = ARGV[b]
    local limit, cost, reset = tonumber(ARGV[b + 1]), tonumber(ARGV[b + 2]), tonumber(ARGV[b + 3])
    local day = math.floor((now - reset) / DAY)
    days[j] = string.format('%d', day)
    if cost > 0 then
      local sd = tonumber(vals[1 + ng + 2 * j - 1])
      local n = tonumber(vals[1 + ng + 2 * j]) or 0
      if sd ~= day then n = 0 end
      local nr = (day + 1) * DAY + reset
      if n + cost > limit and nr - now > wait then wait = nr - now; reason = f end
      sets[#sets + 1] = f .. ':d'
      sets[#sets + 1] = days[j]
      sets[#sets + 1] = f .. ':n'
      sets[#sets + 1] = string.format('%d', n + cost)
      if nr - now > need then need = nr - now end
    end
  end
  local climit = tonumber(ARGV[ci])
  local missing, hint = false, 0
  if climit > 0 then
    redis.call('ZREMRANGEBYSCORE', slots, '-inf', fmt(now))
    if redis.call('ZCARD', slots) >= climit then
      missing = true
      local first = redis.call('ZRANGE', slots, 0, 0, 'WITHSCORES')
      hint = tonumber(first[2]) - now
    end
  end
  if wait > 0 then return {0, fmt(wait), reason, 1} end
  if missing then return {0, fmt(hint), 'concurrent_requests', 0} end
  if #sets > 0 then
    redis.call('HSET', state, unpack(sets))
    keep(state, need)
  end
  if climit > 0 then
    local ttl = tonumber(ARGV[ci + 2])
    redis.call('ZADD', slots, fmt(now + ttl), ARGV[ci + 1])
    keep(slots, ttl)
  end
  return {1, fmt(now), unpack(days)}
elseif op == 'adjust' then
  local ng = tonumber(ARGV[3])
  local di = 4 + ng * 2
  local nd = tonumber(ARGV[di])
  local sets, need = {}, 0
  for j = 1, ng do
    local b = 4 + (j - 1) * 2
    local delta = tonumber(ARGV[b + 1])
    local tat = tonumber(redis.call('HGET', state, ARGV[b])) or now
    if tat < now then tat = now end
    tat = tat + delta
    if tat < now then tat = now end
    sets[#sets + 1] = ARGV[b]
    sets[#sets + 1] = fmt(tat)
    if tat - now > need then need = tat - now end
  end
  for j = 1, nd do
    local b = di + 1 + (j - 1) * 4
    local f = ARGV[b]
    local delta, rday, reset = tonumber(ARGV[b + 1]), tonumber(ARGV[b + 2]), tonumber(ARGV[b + 3])
    local day = math.floor((now - reset) / DAY)
    local sd = tonumber(redis.call('HGET', state, f .. ':d'))
    local n = tonumber(redis.call('HGET', state, f .. ':n')) or 0
    if sd ~= day then n = 0 end
    if rday == day then
      n = math.max(0, n + delta)
    elseif delta > 0 then
      n = n + delta
    end
    sets[#sets + 1] = f .. ':d'
    sets[#sets + 1] = string.format('%d', day)
    sets[#sets + 1] = f .. ':n'
    sets[#sets + 1] = string.format('%d', n)
    local nr = (day + 1) * DAY + reset
    if nr - now > need then need = nr - now end
  end
  if #sets > 0 then
    redis.call('HSET', state, unpack(sets))
    keep(state, need)
  end
  return 1
elseif op == 'release' then
  return redis.call('ZREM', slots, ARGV[3])
elseif op == 'renew' then
  local score = tonumber(redis.call('ZSCORE', slots, ARGV[3]))
  if score and score > now then
    local ttl = tonumber(ARGV[4])
    redis.call('ZADD', slots, 'XX', fmt(now + ttl), ARGV[3])
    keep(slots, ttl)
    return 1
  end
  return 0
elseif op == 'penalize' then
  local ms = tonumber(ARGV[3])
  local upto = now + ms
  local block = tonumber(redis.call('HGET', state, 'block'))
  if not block or block < upto then
    redis.call('HSET', state, 'block', fmt(upto))
    keep(state, ms)
  end
  return 1
elseif op == 'now' then
  return fmt(now)
end
return redis.error_reply('llmaestro rate limiter: unknown op ' .. tostring(op))
"""

SCRIPT_SHA = hashlib.sha1(SCRIPT.encode("utf-8")).hexdigest()
