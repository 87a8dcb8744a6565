import { createHash } from "node:crypto";

/**
 * Publishes a delivery on channels that keep history, in one step so that stream order = pub/sub order = offsets.
 * KEYS: per history channel, its stream, offset counter and epoch key (3 each).
 * ARGV: [1] the envelope, [2] age limit (ms), [3] MAXLEN, [4] a fresh epoch (used where a history is (re)created),
 * [5] number of Redis channels to publish to, then those channels, then each history channel's index in the
 * delivery's channel list. Publishes `H<index>:<epoch>:<offset>;…\n<envelope>` and returns the positions text.
 * A history's keys expire together after the age limit without publications (its next publication starts a new epoch).
 */
export const PUBLISH_SCRIPT = `local body, ttl, maxlen, fresh = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local targets = tonumber(ARGV[5])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local parts = {}
for i = 1, #KEYS / 3 do
  local s, n, e = KEYS[3 * i - 2], KEYS[3 * i - 1], KEYS[3 * i]
  local epoch = redis.call('GET', e)
  if not epoch then
    epoch = fresh .. i
    redis.call('DEL', s, n)
    redis.call('SET', e, epoch)
  end
  local offset = redis.call('INCR', n)
  redis.call('XADD', s, 'MAXLEN', maxlen, offset .. '-0', 't', now, 'd', body)
  redis.call('PEXPIRE', s, ttl)
  redis.call('PEXPIRE', n, ttl)
  redis.call('PEXPIRE', e, ttl)
  parts[i] = ARGV[5 + targets + i] .. ':' .. epoch .. ':' .. offset
end
local positions = table.concat(parts, ';')
local message = 'H' .. positions .. '\\n' .. body
for j = 1, targets do redis.call('PUBLISH', ARGV[5 + j], message) end
return positions`;

/**
 * Reads a channel's history. KEYS: stream, counter, epoch. ARGV: [1] age limit (ms), [2] "since" or "newest",
 * [3] the offset to read after (since), [4] at most this many (-1: all). Entries past the age limit are deleted
 * first. Returns false when the channel has no history, else {epoch, newest offset, oldest kept offset, entries}.
 */
export const READ_SCRIPT = `local epoch = redis.call('GET', KEYS[3])
if not epoch then return false end
local newest = tonumber(redis.call('GET', KEYS[2]) or '0')
local t = redis.call('TIME')
local cutoff = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) - tonumber(ARGV[1])
while true do
  local batch = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 100)
  if #batch == 0 then break end
  local kept = nil
  for _, entry in ipairs(batch) do
    if tonumber(entry[2][2]) >= cutoff then kept = entry[1] break end
    redis.call('XDEL', KEYS[1], entry[1])
  end
  if kept then break end
end
local first = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)
local oldest = newest + 1
if #first > 0 then oldest = tonumber(string.match(first[1][1], '^(%d+)')) end
local count = tonumber(ARGV[4])
local entries
if ARGV[2] == 'since' then
  if count < 0 then entries = redis.call('XRANGE', KEYS[1], (tonumber(ARGV[3]) + 1) .. '-0', '+')
  else entries = redis.call('XRANGE', KEYS[1], (tonumber(ARGV[3]) + 1) .. '-0', '+', 'COUNT', count) end
else
  if count < 0 then entries = redis.call('XREVRANGE', KEYS[1], '+', '-')
  else entries = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', count) end
end
return {epoch, newest, oldest, entries}`;


/** SHA-1 of the publish script, for EVALSHA. */
export const PUBLISH_SHA = createHash("sha1").update(PUBLISH_SCRIPT).digest("hex");
/** SHA-1 of the read script, for EVALSHA. */
export const READ_SHA = createHash("sha1").update(READ_SCRIPT).digest("hex");

/** What running a script needs from a node-redis client. */
export interface ScriptClient {
  sendCommand(args: ReadonlyArray<string | Buffer>, options?: { timeout?: number; typeMapping?: Record<number, unknown> }): Promise<unknown>;
}

/**
 * Runs a script by its SHA (the broker loads both at connect), sending its source only when Redis does not have it
 * (NOSCRIPT: a restarted or flushed Redis).
 */
export async function runScript(client: ScriptClient, script: string, sha: string, args: ReadonlyArray<string | Buffer>, options?: { timeout?: number; typeMapping?: Record<number, unknown> }): Promise<unknown> {
  try {
    return await client.sendCommand(["EVALSHA", sha, ...args], options);
  } catch (err) {
    if (!(err instanceof Error) || !err.message.startsWith("NOSCRIPT")) throw err;
    return client.sendCommand(["EVAL", script, ...args], options);
  }
}
