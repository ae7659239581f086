// Redis store, server side: the Lua scripts that read and write an index's keys atomically. They
// store and look up; they never match (match.ts decides, in the client, for every store).

/**
 * Helpers shared by every script. Band entries are 7 bytes, [rest: 3][n: u32 BE]: a band key's
 * shard picks the string (its low bits), the rest of the key is stored, n is the document's
 * number. A "bands" argument is a run of 7-byte items [band: u16][shard: u16][rest: 3]; band
 * 0xffff is the content-key table. Time entries are 8 bytes [offset ms in the slot: u32][n: u32],
 * sorted by offset, one string per SLOT ms.
 */
const PRELUDE = `
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

/**
 * Read, from one snapshot, what adds or queries of k documents need. ARGV: P, ttl ms, PER_BAND,
 * k, then per document: id ("" for none), bands, content key item (or ""). Returns
 * [n, format, options, scheme, count, [per document: existing, exact id, exact record,
 * [id, record]… of the bucket members, [id, record]… of their canonicals not among them], evicted].
 * n is the number the next document will get: every document numbered below it is in the buckets
 * read, so a commit can tell what it did not see.
 */
export const READ = `${PRELUDE}
local evicted = {}
expire(tonumber(ARGV[2]), evicted)
local PER = tonumber(ARGV[3])
local meta = redis.call("HMGET", KEYS[1], "format", "options", "scheme", "n", "count", "epoch")
local out = {}
for d = 0, tonumber(ARGV[4]) - 1 do
  local id, bands, ckey = ARGV[5 + d * 3], ARGV[6 + d * 3], ARGV[7 + d * 3]
  local existing = false
  if id ~= "" then existing = redis.call("GET", P .. "d:" .. id) end
  local exactId, exactRec = false, false
  if ckey ~= "" then
    local key, rest = shard(ckey, 1)
    local s = redis.call("GET", key)
    if s then
      local found = find(s, rest)
      for j = #found, 1, -1 do
        exactId, exactRec = live(found[j])
        if exactId then break end
      end
    end
  end
  local members, others = {}, {}
  if not exactId and bands ~= "" then
    local keys, rests = {}, {}
    for at = 1, #bands, 7 do keys[#keys + 1], rests[#rests + 1] = shard(bands, at) end
    local strings = redis.call("MGET", unpack(keys))
    local seen = {}
    for b = 1, #keys do
      local s = strings[b]
      if s then
        local found = find(s, rests[b])
        for j = #found, math.max(1, #found - PER + 1), -1 do
          local n = found[j]
          if not seen[n] then
            seen[n] = true
            local other, rec = live(n)
            if other and other ~= id then
              members[#members + 1] = other
              members[#members + 1] = rec
            end
          end
        end
      end
    end
  end
  -- The canonicals of all these records that are not among them: a copy whose canonical has gone
  -- (evicted) stands on its own, which the client can only tell from these.
  local held = {}
  if id ~= "" and existing then held[id] = true end
  if exactId then held[exactId] = true end
  for j = 1, #members, 2 do held[members[j]] = true end
  local function canonicalOf(rec)
    local len = struct.unpack(">I2", rec, 6)
    if len > 0 then
      local c = string.sub(rec, 8, 7 + len)
      if not held[c] then
        held[c] = true
        local crec = redis.call("GET", P .. "d:" .. c)
        if crec then others[#others + 1] = c; others[#others + 1] = crec end
      end
    end
  end
  if id ~= "" and existing then canonicalOf(existing) end
  if exactId then canonicalOf(exactRec) end
  for j = 2, #members, 2 do canonicalOf(members[j]) end
  out[#out + 1] = { existing, exactId, exactRec, members, others }
end
local snapshot = (meta[4] or 0) .. "," .. redis.call("STRLEN", P .. "log") .. "," .. (meta[6] or 0)
return { snapshot, meta[1], meta[2], meta[3], tonumber(meta[5] or 0), out, evicted }
`;

/**
 * Write k documents in order, each unless it conflicts: its id is stored, its canonical is gone,
 * a document numbered at or above the snapshot's n (not written by this call) is in a bucket or
 * content-key entry it read, or it read an entry an earlier refused document of this call read
 * (its decision may have counted on that one). ARGV: P, ttl, snapshot n, format, options JSON,
 * scheme, k, then per document: id, record (without its number), time ("" for none), bands read,
 * "1" to put it in them, content key item (or ""), "1" to record it there, canonical ("" for
 * itself). Returns [[number, or -1 for a refused document]…, evicted], or an error when the
 * index under the prefix was re-created since it was opened.
 */
export const COMMIT = `${PRELUDE}
local evicted = {}
local ttl = tonumber(ARGV[2])
local t = expire(ttl, evicted)
local meta = redis.call("HMGET", KEYS[1], "format", "options", "n", "epoch")
if (meta[1] and meta[1] ~= ARGV[4]) or (meta[2] and meta[2] ~= ARGV[5]) then
  return redis.error_reply("NDRECREATED the index was re-created with other options or format since it was opened")
end
redis.call("HSETNX", KEYS[1], "format", ARGV[4])
redis.call("HSETNX", KEYS[1], "options", ARGV[5])
local S, seen, epoch = string.match(ARGV[3], "^(%d+),(%d+),(%d+)$")
S = tonumber(S)
local next = tonumber(meta[3] or 0)
local others = next > S
-- What was written since the snapshot: nothing (no check), the log's tail (its entries, as a
-- set), or, the log having been restarted meanwhile, the shard strings themselves.
local since = false
if others then
  if tonumber(meta[4] or 0) == tonumber(epoch) then
    since = {}
    local tail = redis.call("GETRANGE", P .. "log", seen, -1)
    local at = 1
    while at < #tail do
      local count = struct.unpack(">I2", tail, at + 4)
      for j = 0, count - 1 do since[string.sub(tail, at + 6 + j * 7, at + 12 + j * 7)] = true end
      at = at + 6 + count * 7
    end
  end
end
-- Band strings written, set once at the end: a SET stores a string at its size, where APPEND
-- leaves it up to twice its length in spare room (Redis grows a string by doubling).
local grown = {}
local refused, refusedIds, mine, results = {}, {}, {}, {}
local written = 0
local log = {}
for d = 0, tonumber(ARGV[7]) - 1 do
  local a = 8 + d * 8
  local id, rec, time, bands, indexed, ckey, keep, canonical = ARGV[a], ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4], ARGV[a + 5], ARGV[a + 6], ARGV[a + 7]
  local ok = not refusedIds[id] and redis.call("EXISTS", P .. "d:" .. id) == 0
  if ok and canonical ~= "" and redis.call("EXISTS", P .. "d:" .. canonical) == 0 then ok = false end
  local reads = bands .. ckey
  for at = 1, #reads, 7 do
    local item = string.sub(reads, at, at + 6)
    if refused[item] or (since and since[item]) then ok = false; break end
    if others and not since then
      local key, rest = shard(reads, at)
      local s = redis.call("GET", key)
      if s then
        for _, n in ipairs(find(s, rest)) do
          if n >= S and not mine[n] then ok = false; break end
        end
      end
      if not ok then break end
    end
  end
  if not ok then
    refusedIds[id] = true
    for at = 1, #reads, 7 do refused[string.sub(reads, at, at + 6)] = true end
    results[#results + 1] = -1
  else
    local n = next
    next = next + 1
    written = written + 1
    mine[n] = true
    local tail = struct.pack(">I4", n)
    redis.call("SET", P .. "d:" .. id, tail .. rec)
    redis.call("HSET", ikey(n), n, id)
    local wrote = ""
    if indexed == "1" then
      wrote = bands
      for at = 1, #bands, 7 do
        local key, rest = shard(bands, at)
        grown[key] = (grown[key] or redis.call("GET", key) or "") .. rest .. tail
      end
    end
    if keep == "1" and ckey ~= "" then
      -- The latest document with a content key answers for it: its entry replaces the one before.
      local key, rest = shard(ckey, 1)
      local s = redis.call("GET", key)
      if s and #find(s, rest) > 0 then
        local kept, i = {}, 1
        while i <= #s do
          local e = string.sub(s, i, i + 6)
          if string.sub(e, 1, 3) ~= rest then kept[#kept + 1] = e end
          i = i + 7
        end
        kept[#kept + 1] = rest .. tail
        redis.call("SET", key, table.concat(kept))
      else
        redis.call("SET", key, (s or "") .. rest .. tail)
      end
      wrote = wrote .. ckey
    end
    if #wrote > 0 then log[#log + 1] = tail .. struct.pack(">I2", #wrote / 7) .. wrote end
    tinsert("t", time ~= "" and tonumber(time) or nil, n)
    if ttl > 0 then tinsert("a", t, n) end
    results[#results + 1] = n
  end
end
for key, s in pairs(grown) do redis.call("SET", key, s) end
if #log > 0 then
  -- The log of entries written, for the next commits' checks: restarted (a new epoch) past LOG bytes.
  if redis.call("APPEND", P .. "log", table.concat(log)) > LOG then
    redis.call("DEL", P .. "log")
    redis.call("HINCRBY", KEYS[1], "epoch", 1)
  end
end
if written > 0 then
  redis.call("HSET", KEYS[1], "n", next)
  redis.call("HINCRBY", KEYS[1], "count", written)
  redis.call("HSETNX", KEYS[1], "scheme", ARGV[6])
end
return { results, evicted }
`;

/**
 * Forget the documents whose time is before ARGV[2], at most ARGV[3] of them: [how many,
 * 1 if some are left, [id, record]… of those forgotten] (their bucket entries go with UNLINK).
 */
export const EVICT = `${PRELUDE}
local out = {}
local forgotten, more = tevict("t", tonumber(ARGV[2]), tonumber(ARGV[3]), out)
if forgotten > 0 then redis.call("HINCRBY", KEYS[1], "count", -forgotten) end
return { forgotten, more and 1 or 0, out }
`;

/** Remove forgotten documents' entries: ARGV P, then pairs (number, bands incl. the content-key item). */
export const UNLINK = `${PRELUDE}
for a = 2, #ARGV, 2 do
  local tail = struct.pack(">I4", tonumber(ARGV[a]))
  local blob = ARGV[a + 1]
  for at = 1, #blob, 7 do
    local key, rest = shard(blob, at)
    local s = redis.call("GET", key)
    if s then
      local entry, i = rest .. tail, 1
      while true do
        local p = string.find(s, entry, i, true)
        if not p then break end
        if (p - 1) % 7 == 0 then
          s = string.sub(s, 1, p - 1) .. string.sub(s, p + 7)
          if #s == 0 then redis.call("DEL", key) else redis.call("SET", key, s) end
          break
        end
        i = p + 1
      end
    end
  end
end
return 0
`;
