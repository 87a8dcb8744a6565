import { InMemorySpanExporter, SimpleSpanProcessor, BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { RawClient } from "@webshocket/test-utils";
import { describe, expect, it } from "vitest";
import { createRequest, jsonCodec, msgpackCodec, randomId } from "@webshocket/protocol";
import { ClientType, RPCErrorCode } from "../src/index.js";
import { tracing } from "../src/tracing/index.js";
import { startServer } from "./startServer.js";
import { TestHandler } from "./testHandler.js";

const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const PARENT_ID = "00f067aa0ba902b7";
const TRACEPARENT = `00-${TRACE_ID}-${PARENT_ID}-01`;

function tracer() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return { exporter, tracer: provider.getTracer("test") };
}

describe("tracing", () => {
  it("records a SERVER span per call and per stream, child of the client's traceparent (msgpack and JSON)", async () => {
    const { exporter, tracer: t } = tracer();
    await using server = await startServer({ handler: new TestHandler(), middleware: [tracing({ tracer: t })] });
    for (const type of [ClientType.FRAMEWORK, ClientType.GENERIC]) {
      exporter.reset();
      await using c = await RawClient.connect(server.url, type);
      const id = randomId();
      c.sendPacket(createRequest("add", [1, 2], {}, id, TRACEPARENT));
      expect(((await c.waitFor((p) => p.rpc?.call_id === id)).rpc as { response?: unknown } | null)?.response).toBe(3);
      expect((await c.call("add", [2, 2])).response).toBe(4); // no traceparent: a root span
      const streamId = randomId();
      c.sendPacket(createRequest("count_to", [3], {}, streamId, TRACEPARENT));
      await c.collect(streamId);
      expect((await c.call("fail", ["nope"])).error).toBe(RPCErrorCode.APPLICATION_ERROR);
      await c.call("no_such_method");
      const spans = exporter.getFinishedSpans();
      expect(spans.map((s) => s.name)).toEqual(["webshocket/add", "webshocket/add", "webshocket/count_to", "webshocket/fail", "webshocket/<unknown>"]);
      const [child, root, stream, failed] = spans;
      expect(child?.kind).toBe(SpanKind.SERVER);
      expect(child?.spanContext().traceId).toBe(TRACE_ID);
      expect(child?.parentSpanContext?.spanId).toBe(PARENT_ID);
      expect(child?.parentSpanContext?.isRemote).toBe(true);
      expect(child?.attributes["rpc.method"]).toBe("add");
      expect(root?.parentSpanContext).toBeUndefined();
      expect(root?.spanContext().traceId).not.toBe(TRACE_ID);
      expect(stream?.parentSpanContext?.spanId).toBe(PARENT_ID);
      expect(stream?.attributes["webshocket.stream.chunks"]).toBe(3);
      expect(failed?.status.code).toBe(SpanStatusCode.ERROR);
      expect(failed?.attributes["rpc.webshocket.error_code"]).toBe(RPCErrorCode.APPLICATION_ERROR);
    }
  });

  it("a request with or without traceparent stays on the codecs' fast request path, which keeps it as the general path does", () => {
    for (const codec of [msgpackCodec, jsonCodec]) {
      const plain = codec.encode(createRequest("add", [1, 2], {}, "id-1"));
      expect(codec.decodeRequest(plain)).toEqual({ type: "request", method: "add", args: [1, 2], kwargs: {}, call_id: "id-1" });
      const traced = codec.encode(createRequest("add", [1, 2], {}, "id-2", TRACEPARENT));
      const request = { type: "request", method: "add", args: [1, 2], kwargs: {}, call_id: "id-2", traceparent: TRACEPARENT };
      expect(codec.decodeRequest(traced)).toEqual(request);
      const { packet, error } = codec.decodeDetailed(traced);
      expect(error).toBeUndefined();
      expect(packet.rpc).toEqual(request);
    }
  });
});
