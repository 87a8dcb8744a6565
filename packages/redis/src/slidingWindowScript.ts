import { createHash } from "node:crypto";

/**
 * One sliding-window rate-limit check, atomic in Redis. KEYS[1] is a sorted set of
 * the accepted calls' times (score = ms). ARGV: limit, periodMs, a unique member,
 * and the time in ms ("" = Redis's own clock, `TIME`, shared by every node).
 *
 * A call at `t` is accepted when fewer than `limit` accepted calls lie in
 * `(t - periodMs, t]`: older ones are removed first, a refused call records
 * nothing, and the key expires `periodMs` after the newest accepted call. A clock
 * stepping backwards is treated as standing still. Returns 1 (accepted) or 0.
 */
export const SLIDING_WINDOW_SCRIPT = `
local limit = tonumber(ARGV[1])
local period = tonumber(ARGV[2])
local now
if ARGV[4] ~= '' then
  now = tonumber(ARGV[4])
else
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
end
local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')[2]
if newest and tonumber(newest) > now then now = tonumber(newest) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.3f', now - period))
if redis.call('ZCARD', KEYS[1]) >= limit then return 0 end
redis.call('ZADD', KEYS[1], string.format('%.3f', now), ARGV[3])
redis.call('PEXPIRE', KEYS[1], math.ceil(period))
return 1
`;

/** SHA-1 of the script, for EVALSHA. */
export const SLIDING_WINDOW_SHA = createHash("sha1").update(SLIDING_WINDOW_SCRIPT).digest("hex");
