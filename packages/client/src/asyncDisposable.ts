// The two global declarations `await using` support needs, for projects whose `lib` lacks
// ESNext.Disposable (e.g. ["ES2022", "DOM"]): the same shapes as TypeScript's lib and @types/node,
// so they merge with either. Imported for its declarations only.
declare global {
  interface SymbolConstructor {
    readonly asyncDispose: unique symbol;
  }
  interface AsyncDisposable {
    [Symbol.asyncDispose](): PromiseLike<void>;
  }
}
export {};
