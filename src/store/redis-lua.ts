// Redis store, server side: the two Lua scripts of an add (READ, then COMMIT), which read and write
// an index's keys atomically. They store and look up; they never match (match.ts decides, in the
// client, for every store). The helpers they begin with are in redis-lua-prelude.ts; the scripts
// that forget, in redis-lua-evict.ts.
import { PRELUDE } from "./redis-lua-prelude.js";

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
