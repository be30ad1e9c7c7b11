"""The one Lua script the Redis backend runs (all operations, dispatched on ARGV[1]).

KEYS[1] is the budget's state hash, KEYS[2] its concurrency-lease sorted set; both carry
the same ``{hash tag}`` so they live in one cluster slot. Time is the Redis server's
``TIME`` (plus an offset in milliseconds used by tests), in float milliseconds.
Floats are stored and returned as strings with microsecond precision, because Redis turns
Lua numbers into integers.

State hash fields: ``block`` (no admission before this time), one TAT per GCRA rule
(``rpm``, ``tpm``, ``itpm``, ``otpm``), and ``<rule>:d`` / ``<rule>:n`` (quota day and
count) per daily rule. Both keys get a PEXPIRE covering the longest-lived state they hold
(plus up to a minute of slack, so most calls skip it), so idle budgets vanish by themselves.

For ``acquire`` the plan's constant arguments come first and the per-call values last, so
the client can send a pre-encoded command with only the tail encoded per call.
"""

from __future__ import annotations

import hashlib

__all__ = ["SCRIPT", "SCRIPT_SHA"]

SCRIPT = r"""
local state = KEYS[1]
local slots = KEYS[2]
local op = ARGV[1]
local tonumber, format, call = tonumber, string.format, redis.call
local DAY = 86400000

local function clock(offset)
  local t = call('TIME')
  return tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000 + tonumber(offset)
end

local function fmt(x) return format('%.3f', x) end

-- make sure the key lives at least `need` ms more; extend with slack to skip most calls
local function keep(key, need)
  if call('PTTL', key) < need + 1000 then call('PEXPIRE', key, math.ceil(need) + 60000) end
end

if op == 'acquire' then
  -- static: ng, (field, interval_ms, tau_ms) * ng, nd, (field, limit, reset_ms) * nd,
  --         climit, lease_ttl_ms; dynamic: offset_ms, cost * ng, cost * nd, lease_id
  local ng = tonumber(ARGV[2])
  local di = 3 + ng * 3
  local nd = tonumber(ARGV[di])
  local ci = di + 1 + nd * 3
  local climit = tonumber(ARGV[ci])
  local dyn = ci + 2
  local now = clock(ARGV[dyn])
  local hf = {'block'}
  for j = 1, ng do hf[j + 1] = ARGV[j * 3] end
  for j = 1, nd do
    local f = ARGV[di + j * 3 - 2]
    hf[ng + 2 * j] = f .. ':d'
    hf[ng + 2 * j + 1] = f .. ':n'
  end
  local vals = call('HMGET', state, unpack(hf))
  local wait, reason = 0, ''
  local block = tonumber(vals[1])
  if block and block > now then wait = block - now; reason = 'retry_after' end
  local sets, need = {}, 0
  for j = 1, ng do
    local cost = tonumber(ARGV[dyn + j])
    if cost > 0 then
      local b = j * 3
      local interval, tau = tonumber(ARGV[b + 1]), tonumber(ARGV[b + 2])
      local tat = tonumber(vals[1 + j]) or now
      if tat < now then tat = now end
      local inc = cost * interval
      local allow = tat + inc - math.max(tau, inc)
      if allow - now > wait then wait = allow - now; reason = ARGV[b] end
      sets[#sets + 1] = ARGV[b]
      sets[#sets + 1] = fmt(tat + inc)
      if tat + inc - now > need then need = tat + inc - now end
    end
  end
  local days = {}
  for j = 1, nd do
    local b = di + j * 3 - 2
    local f = ARGV[b]
    local limit, reset = tonumber(ARGV[b + 1]), tonumber(ARGV[b + 2])
    local cost = tonumber(ARGV[dyn + ng + j])
    local day = math.floor((now - reset) / DAY)
    days[j] = format('%d', day)
    if cost > 0 then
      local sd = tonumber(vals[ng + 2 * j])
      local n = tonumber(vals[ng + 2 * j + 1]) or 0
      if sd ~= day then n = 0 end
      local nr = (day + 1) * DAY + reset
      if n + cost > limit and nr - now > wait then wait = nr - now; reason = f end
      sets[#sets + 1] = f .. ':d'
      sets[#sets + 1] = days[j]
      sets[#sets + 1] = f .. ':n'
      sets[#sets + 1] = format('%d', n + cost)
      if nr - now > need then need = nr - now end
    end
  end
  local missing, hint = false, 0
  if climit > 0 then
    call('ZREMRANGEBYSCORE', slots, '-inf', fmt(now))
    if call('ZCARD', slots) >= climit then
      missing = true
      local first = call('ZRANGE', slots, 0, 0, 'WITHSCORES')
      hint = tonumber(first[2]) - now
    end
  end
  if wait > 0 then return {0, fmt(wait), reason, 1} end
  if missing then return {0, fmt(hint), 'concurrent_requests', 0} end
  if #sets > 0 then
    call('HSET', state, unpack(sets))
    keep(state, need)
  end
  if climit > 0 then
    local ttl = tonumber(ARGV[ci + 1])
    call('ZADD', slots, fmt(now + ttl), ARGV[dyn + ng + nd + 1])
    keep(slots, ttl)
  end
  if nd == 0 then return 1 end
  return {1, unpack(days)}
end

local now = clock(ARGV[2])
if op == 'adjust' then
  local ng = tonumber(ARGV[3])
  local di = 4 + ng * 2
  local nd = tonumber(ARGV[di])
  local sets, need = {}, 0
  for j = 1, ng do
    local b = 4 + (j - 1) * 2
    local delta = tonumber(ARGV[b + 1])
    local tat = tonumber(call('HGET', state, ARGV[b])) or now
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
    local sd = tonumber(call('HGET', state, f .. ':d'))
    local n = tonumber(call('HGET', state, f .. ':n')) or 0
    if sd ~= day then n = 0 end
    if rday == day then
      n = math.max(0, n + delta)
    elseif delta > 0 then
      n = n + delta
    end
    sets[#sets + 1] = f .. ':d'
    sets[#sets + 1] = format('%d', day)
    sets[#sets + 1] = f .. ':n'
    sets[#sets + 1] = format('%d', n)
    local nr = (day + 1) * DAY + reset
    if nr - now > need then need = nr - now end
  end
  if #sets > 0 then
    call('HSET', state, unpack(sets))
    keep(state, need)
  end
  return 1
elseif op == 'release' then
  return call('ZREM', slots, ARGV[3])
elseif op == 'renew' then
  local score = tonumber(call('ZSCORE', slots, ARGV[3]))
  if score and score > now then
    local ttl = tonumber(ARGV[4])
    call('ZADD', slots, 'XX', fmt(now + ttl), ARGV[3])
    keep(slots, ttl)
    return 1
  end
  return 0
elseif op == 'penalize' then
  local ms = tonumber(ARGV[3])
  local upto = now + ms
  local block = tonumber(call('HGET', state, 'block'))
  if not block or block < upto then
    call('HSET', state, 'block', fmt(upto))
    keep(state, ms)
  end
  return 1
elseif op == 'now' then
  return fmt(now)
end
return redis.error_reply('llmaestro rate limiter: unknown op ' .. tostring(op))
"""

SCRIPT_SHA = hashlib.sha1(SCRIPT.encode("utf-8")).hexdigest()
