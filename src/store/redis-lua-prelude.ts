// Redis store, server side: the Lua helpers every script begins with (key names, bucket and time
// entries, forgetting a document), as text that redis-lua.ts and redis-lua-evict.ts prepend.

/**
 * Helpers shared by every script. Band entries are 7 bytes, [rest: 3][n: u32 BE]: a band key's
 * shard picks the string (its low bits), the rest of the key is stored, n is the document's
 * number. A "bands" argument is a run of 7-byte items [band: u16][shard: u16][rest: 3]; band
 * 0xffff is the content-key table. Time entries are 8 bytes [offset ms in the slot: u32][n: u32],
 * sorted by offset, one string per SLOT ms.
 */
export const PRELUDE = `
local P = ARGV[1]
local SLOT = 60000
local LOG = 1048576
local function u32(s, at) return (struct.unpack(">I4", s, at)) end
-- The numbers of the entries of shard string s whose rest is \`rest\`, oldest first.
local function find(s, rest)
  local out, i = {}, 1
  while true do
    local p = string.find(s, rest, i, true)
    if not p then return out end
    if (p - 1) % 7 == 0 then out[#out + 1] = u32(s, p + 3); i = p + 7 else i = p + 1 end
  end
end
-- The shard key and rest of the item at \`at\` of a bands argument.
local function shard(blob, at)
  local band, sh = struct.unpack(">I2I2", blob, at)
  local name = band == 65535 and "x:" or ("b:" .. band .. ":")
  return P .. name .. sh, string.sub(blob, at + 4, at + 6)
end
local function ikey(n) return P .. "i:" .. math.floor(n / 128) end
local function idOf(n) return redis.call("HGET", ikey(n), n) end
-- The record of a live document numbered n, with its id; false when it has gone.
local function live(n)
  local id = idOf(n)
  if not id then return false end
  local rec = redis.call("GET", P .. "d:" .. id)
  if rec and u32(rec, 1) == n then return id, rec end
  return false
end
-- Drop document n's entry from the time index "t" (its record gives its time; a document
-- without one is in t0, sorted by number, where the entry is overwritten with a tombstone).
local function untime(n, rec)
  local len = struct.unpack(">I2", rec, 6)
  if bit.band(string.byte(rec, 5), 1) == 0 then
    local key = P .. "t0"
    local lo, hi = 0, redis.call("STRLEN", key) / 4
    while lo < hi do
      local mid = math.floor((lo + hi) / 2)
      local m = u32(redis.call("GETRANGE", key, mid * 4, mid * 4 + 3), 1)
      if m < n then lo = mid + 1 elseif m > n then hi = mid else
        redis.call("SETRANGE", key, mid * 4, "\\255\\255\\255\\255")
        if redis.call("HINCRBY", KEYS[1], "t0", -1) <= 0 then redis.call("DEL", key); redis.call("HDEL", KEYS[1], "t0") end
        return
      end
    end
    return
  end
  local t = math.floor((struct.unpack(">d", rec, 12 + len)))
  local slot = math.floor(t / SLOT)
  local key = P .. "t:" .. slot
  local s = redis.call("GET", key)
  if not s then return end
  local entry, i = struct.pack(">I4I4", t - slot * SLOT, n), 1
  while true do
    local p = string.find(s, entry, i, true)
    if not p then return end
    if (p - 1) % 8 == 0 then
      s = string.sub(s, 1, p - 1) .. string.sub(s, p + 8)
      if #s == 0 then
        redis.call("DEL", key)
        redis.call("ZREM", P .. "ts", slot)
      else
        redis.call("SET", key, s)
      end
      return
    end
    i = p + 1
  end
end
local function forget(n, out, timed)
  local id = idOf(n)
  if not id then return false end
  redis.call("HDEL", ikey(n), n)
  local rec = redis.call("GET", P .. "d:" .. id)
  if not rec or u32(rec, 1) ~= n then return false end
  redis.call("DEL", P .. "d:" .. id)
  if timed then untime(n, rec) end
  out[#out + 1] = id
  out[#out + 1] = rec
  return true
end
-- Time index \`name\`: slot strings P..name..":"..slot, their slots in the sorted set P..name.."s".
local function tinsert(name, t, n)
  if t == nil then
    redis.call("APPEND", P .. "t0", struct.pack(">I4", n))
    redis.call("HINCRBY", KEYS[1], "t0", 1)
    return
  end
  local slot = math.floor(t / SLOT)
  local off = t - slot * SLOT
  local entry = struct.pack(">I4I4", off, n)
  local key = P .. name .. ":" .. slot
  -- In time order (the usual case) an entry is appended; only an earlier one reads the slot.
  local last = redis.call("GETRANGE", key, -8, -1)
  if #last == 0 then
    redis.call("SET", key, entry)
    redis.call("ZADD", P .. name .. "s", slot, slot)
  elseif u32(last, 1) <= off then
    redis.call("APPEND", key, entry)
  else
    local s = redis.call("GET", key)
    local lo, hi = 0, #s / 8
    while lo < hi do
      local mid = math.floor((lo + hi) / 2)
      if u32(s, mid * 8 + 1) <= off then lo = mid + 1 else hi = mid end
    end
    redis.call("SET", key, string.sub(s, 1, lo * 8) .. entry .. string.sub(s, lo * 8 + 1))
  end
end
-- Forget the documents of time index \`name\` before \`before\` (at most \`limit\` entries):
-- how many were live, and whether entries before \`before\` are left.
local function tevict(name, before, limit, out)
  local zkey = P .. name .. "s"
  local forgotten, done = 0, 0
  if name == "t" then
    -- Documents without a time go first, whatever \`before\`.
    local key = P .. "t0"
    local s = redis.call("GETRANGE", key, 0, limit * 4 - 1)
    if #s > 0 then
      local entries = 0
      for j = 0, #s / 4 - 1 do
        local n = u32(s, j * 4 + 1)
        if n ~= 4294967295 then
          entries = entries + 1
          if forget(n, out, false) then forgotten = forgotten + 1 end
        end
      end
      done = #s / 4
      if redis.call("STRLEN", key) <= #s then
        redis.call("DEL", key)
        redis.call("HDEL", KEYS[1], "t0")
      else
        redis.call("SET", key, string.sub(redis.call("GET", key), #s + 1))
        redis.call("HINCRBY", KEYS[1], "t0", -entries)
        return forgotten, true
      end
    end
  end
  while done < limit do
    local first = redis.call("ZRANGE", zkey, 0, 0)
    if #first == 0 then return forgotten, false end
    local slot = tonumber(first[1])
    local base = slot * SLOT
    if base >= before then return forgotten, false end
    local key = P .. name .. ":" .. slot
    local s = redis.call("GET", key) or ""
    local total = #s / 8
    local lo, hi = 0, total
    while lo < hi do
      local mid = math.floor((lo + hi) / 2)
      if base + u32(s, mid * 8 + 1) < before then lo = mid + 1 else hi = mid end
    end
    local take = math.min(lo, limit - done)
    for j = 0, take - 1 do
      if forget(u32(s, j * 8 + 5), out, name == "a") then forgotten = forgotten + 1 end
    end
    done = done + take
    if take == total then
      redis.call("DEL", key)
      redis.call("ZREM", zkey, first[1])
    else
      if take > 0 then redis.call("SET", key, string.sub(s, take * 8 + 1)) end
      if take == lo then return forgotten, false end
      return forgotten, true
    end
  end
  return forgotten, true
end
local function now()
  local t = redis.call("TIME")
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
-- With a time to live: forget what was added before now - ttl (the "a" index, by server time).
local function expire(ttl, out)
  if ttl <= 0 then return 0 end
  local t = now()
  local forgotten = tevict("a", t - ttl, 2000, out)
  if forgotten > 0 then redis.call("HINCRBY", KEYS[1], "count", -forgotten) end
  return t
end
`;
