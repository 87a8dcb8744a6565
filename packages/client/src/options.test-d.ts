import { describe, expectTypeOf, it } from "vitest";
import type { ClientOptions, StreamOptions } from "./options.js";
import type { RpcStream } from "./stream.js";

describe("stream flow control options", () => {
  it("take a chunk count, or null for none", () => {
    expectTypeOf<ClientOptions["streamWindow"]>().toEqualTypeOf<number | null | undefined>();
    expectTypeOf<StreamOptions["window"]>().toEqualTypeOf<number | null | undefined>();
    expectTypeOf<RpcStream["buffered"]>().toEqualTypeOf<number>();
  });
});
