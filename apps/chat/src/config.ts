/** Settings of the chat demo, read from the environment by {@link chatConfigFromEnv}. */
export interface ChatConfig {
  /** Interface to bind (`HOST`). Default `127.0.0.1`. */
  host: string;
  /** Port (`PORT`); `0` picks a free one. Default `5000`. */
  port: number;
  /** What the "admin" checkbox on the page asks for (`ADMIN_PASSCODE`). Default `letmein`. */
  adminPasscode: string;
}

/** The admin passcode when `ADMIN_PASSCODE` is not set. Printed at start and shown in the README. */
export const DEFAULT_ADMIN_PASSCODE = "letmein";

/** Reads PORT, HOST and ADMIN_PASSCODE; throws a readable error for a bad PORT. */
export function chatConfigFromEnv(env: NodeJS.ProcessEnv): ChatConfig {
  const port = env.PORT === undefined || env.PORT === "" ? 5000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`PORT must be 0..65535, got ${env.PORT}`);
  return { host: env.HOST || "127.0.0.1", port, adminPasscode: env.ADMIN_PASSCODE || DEFAULT_ADMIN_PASSCODE };
}
