import { WebSocketError } from "@webshocket/protocol";

/**
 * Redis could not be reached: a publish or broadcast that did not get to the other
 * nodes (this node's own clients already have it), a rate-limit check that could not
 * be made, or a first connection that timed out. `cause` holds the client's error.
 */
export class RedisUnavailableError extends WebSocketError {}
