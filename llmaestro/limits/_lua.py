"""The one Lua script the Redis backend runs (all operations, dispatched on ARGV[1]).

KEYS[1] is the budget's state hash, KEYS[2] its concurrency-lease sorted set; both carry
the same ``{hash tag}`` so they live in one cluster slot. Time is the Redis server's
``TIME`` (plus an offset in milliseconds used by tests), in float milliseconds.
Floats are stored and returned as strings with microsecond precision, because Redis turns
Lua numbers into integers.

State hash fields: ``block`` (no admission before this time), one TAT per GCRA rule
(``rpm``, ``tpm``, ``itpm``, ``otpm``), and ``<rule>:d`` / ``<rule>:n`` (quota day and
count, zero-padded so the hash never changes size) per daily rule. Both keys get a
PEXPIRE covering the longest-lived state they hold (plus up to a minute of slack, so most
calls skip it), so idle budgets vanish by themselves.

For ``acquire`` the plan's constant arguments come first and the per-call values last, so
the client can send a pre-encoded command with only the tail encoded per call.
"""

from __future__ import annotations

import hashlib

__all__ = ["SCRIPT", "SCRIPT_SHA"]

SCRIPT = r"""
local call, format, tonumber = redis.call, string.format, tonumber
local state, slots = KEYS[1], KEYS[2]
local DAY = 86400000

if ARGV[1] == 'acquire' then
  -- static: ng, (field, interval_ms, tau_ms) * ng, nd, (field, limit, reset_ms) * nd,
  --         climit, lease_ttl_ms; dynamic: offset_ms, cost * ng, cost * nd, lease_id
  -- (kept lean: this branch runs for every request)
  local ng = tonumber(ARGV[2])
  local di = 3 + ng * 3
  local nd = tonumber(ARGV[di])
  local ci = di + 1 + nd * 3
  local climit = tonumber(ARGV[ci])
  local dyn = ci + 2
  local t = call('TIME')
  local now = t[1] * 1000 + t[2] / 1000 + ARGV[dyn]
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
  local sets, ns, need = {}, 0, 0
  for j = 1, ng do
    local cost = ARGV[dyn + j] + 0
    if cost > 0 then
      local b = j * 3
      local tat = tonumber(vals[1 + j]) or now
      if tat < now then tat = now end
      local inc = cost * ARGV[b + 1]
      local tau = ARGV[b + 2] + 0
      local allow = tat + inc - (inc > tau and inc or tau) - now
      if allow > wait then wait = allow; reason = ARGV[b] end
      tat = tat + inc
      sets[ns + 1] = ARGV[b]
      sets[ns + 2] = format('%.3f', tat)
      ns = ns + 2
      if tat - now > need then need = tat - now end
    end
  end
  local days = {}
  for j = 1, nd do
    local b = di + j * 3 - 2
    local reset = ARGV[b + 2] + 0
    local cost = ARGV[dyn + ng + j] + 0
    local day = math.floor((now - reset) / DAY)
    days[j] = format('%d', day)
    if cost > 0 then
      local n = tonumber(vals[ng + 2 * j + 1]) or 0
      if tonumber(vals[ng + 2 * j]) ~= day then n = 0 end
      local nr = (day + 1) * DAY + reset - now
      if n + cost > ARGV[b + 1] + 0 and nr > wait then wait = nr; reason = ARGV[b] end
      sets[ns + 1] = ARGV[b] .. ':d'
      sets[ns + 2] = days[j]
      sets[ns + 3] = ARGV[b] .. ':n'
      sets[ns + 4] = format('%015d', n + cost)
      ns = ns + 4
      if nr > need then need = nr end
    end
  end
  local missing, hint = false, 0
  if climit > 0 then
    call('ZREMRANGEBYSCORE', slots, '-inf', format('%.3f', now))
    if call('ZCARD', slots) >= climit then
      missing = true
      hint = call('ZRANGE', slots, 0, 0, 'WITHSCORES')[2] - now
    end
  end
  if wait > 0 then return {0, format('%.3f', wait), reason, 1} end
  if missing then return {0, format('%.3f', hint), 'concurrent_requests', 0} end
  if ns > 0 then
    call('HSET', state, unpack(sets))
    -- live at least `need` ms more; extend with a minute of slack so most calls skip it
    if call('PTTL', state) < need + 1000 then call('PEXPIRE', state, math.ceil(need) + 60000) end
  end
  if climit > 0 then
    local ttl = ARGV[ci + 1] + 0
    call('ZADD', slots, format('%.3f', now + ttl), ARGV[dyn + ng + nd + 1])
    if call('PTTL', slots) < ttl + 1000 then call('PEXPIRE', slots, math.ceil(ttl) + 60000) end
  end
  if nd == 0 then return 1 end
  return {1, unpack(days)}
end

local function fmt(x) return format('%.3f', x) end

-- make sure the key lives at least `need` ms more (with slack, as above)
local function keep(key, need)
  if call('PTTL', key) < need + 1000 then call('PEXPIRE', key, math.ceil(need) + 60000) end
end

local op = ARGV[1]
local now
do
  local t = call('TIME')
  now = t[1] * 1000 + t[2] / 1000 + ARGV[2]
end
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
    sets[#sets + 1] = format('%015d', n)
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
