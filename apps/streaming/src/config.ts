/** Settings of the streaming demo, read from the environment by {@link streamingConfigFromEnv}. */
export interface StreamingConfig {
  /** Interface to bind (`HOST`). Default `127.0.0.1`. */
  host: string;
  /** Port (`PORT`); `0` picks a free one. Default `5001`, so it runs next to the chat demo. */
  port: number;
}

/** Reads PORT and HOST; throws a readable error for a bad PORT. */
export function streamingConfigFromEnv(env: NodeJS.ProcessEnv): StreamingConfig {
  const port = env.PORT === undefined || env.PORT === "" ? 5001 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`PORT must be 0..65535, got ${env.PORT}`);
  return { host: env.HOST || "127.0.0.1", port };
}
