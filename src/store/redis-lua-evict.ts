// Redis store, server side: the Lua scripts that forget documents (by time, and their bucket
// entries); they store and look up, never match.
import { PRELUDE } from "./redis-lua-prelude.js";

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
