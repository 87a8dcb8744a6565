/**
 * Payload types of a handler's pushes, declared as its second type parameter:
 * `WebSocketHandler<State, { "news.*": Headline; chat: ChatMessage }>`. Keys are channel names or fnmatch
 * patterns (`*`, `?` and `[...]` stand for any text at the type level). Default: any channel, any payload.
 */
export type ChannelMap = object;

/** A channel key as a template literal type: `news.*` → `news.${string}`. */
export type ChannelPattern<K extends string> = string extends K
  ? string
  : K extends `${infer Head}*${infer Tail}`
    ? `${NoWildcard<Head>}${string}${ChannelPattern<Tail>}`
    : NoWildcard<K>;

type NoWildcard<S extends string> = S extends `${infer Head}?${infer Tail}`
  ? `${NoSet<Head>}${string}${NoWildcard<Tail>}`
  : NoSet<S>;

type NoSet<S extends string> = S extends `${infer Head}[${string}]${infer Tail}` ? `${Head}${string}${NoSet<Tail>}` : S;

/** Every channel name the map allows (what `publish` accepts). */
export type ChannelName<M> = { [K in keyof M & string]: ChannelPattern<K> }[keyof M & string];

type Intersect<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/**
 * The payload a message to channel C must be: the type of every key whose pattern C matches
 * (their intersection when several do). For a pattern C (a subscription to `news.*`), the keys it is written as.
 */
export type ChannelPayload<M, C extends string> = Intersect<
  { [K in keyof M & string]: C extends ChannelPattern<K> ? M[K] : never }[keyof M & string]
>;
