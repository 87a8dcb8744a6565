import { jsonCodec, msgpackCodec, type Packet, type RPCRequest } from "@webshocket/protocol";
import type { WebSocketLike } from "../../src/transport/types.js";

/**
 * An in-memory WebSocket for unit tests: the test plays the server with `open()`,
 * `reply()`/`push()` and `drop()`, and reads what the client sent from `sent`.
 */
export class FakeSocket implements WebSocketLike {
  static instances: FakeSocket[] = [];
  /** What the next sockets do on their own: "manual" waits for the test. */
  static behaviour: "manual" | "open" | "refuse" = "manual";

  readyState = 0;
  protocol = "";
  binaryType = "blob";
  readonly sent: Array<string | Uint8Array> = [];
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  constructor(
    readonly url: string,
    readonly protocols?: string | string[],
  ) {
    FakeSocket.instances.push(this);
    this.#auto = FakeSocket.behaviour;
  }

  #auto: "manual" | "open" | "refuse";
  #onclose: ((event: { code: number; reason: string }) => void) | null = null;

  get onclose(): ((event: { code: number; reason: string }) => void) | null {
    return this.#onclose;
  }

  /** The client sets onclose last while opening: an automatic socket then opens or refuses. */
  set onclose(handler: ((event: { code: number; reason: string }) => void) | null) {
    this.#onclose = handler;
    const auto = this.#auto;
    this.#auto = "manual";
    if (auto === "open") queueMicrotask(() => this.open());
    if (auto === "refuse") queueMicrotask(() => this.refuse());
  }

  static reset(): void {
    FakeSocket.instances = [];
    FakeSocket.behaviour = "manual";
  }

  static get last(): FakeSocket {
    const s = FakeSocket.instances.at(-1);
    if (!s) throw new Error("no socket was created");
    return s;
  }

  send(data: string | ArrayBufferLike | ArrayBufferView): void {
    if (this.readyState !== 1) throw new Error("not open");
    this.sent.push(typeof data === "string" ? data : new Uint8Array(data as ArrayBuffer));
  }

  close(code = 1000, reason = ""): void {
    if (this.readyState >= 2) return;
    this.readyState = 2;
    queueMicrotask(() => this.drop(code, reason));
  }

  open(): void {
    this.readyState = 1;
    this.protocol = Array.isArray(this.protocols) ? (this.protocols[0] ?? "") : (this.protocols ?? "");
    this.onopen?.({});
  }

  refuse(): void {
    this.readyState = 3;
    this.onerror?.({ message: "connect ECONNREFUSED" });
    this.onclose?.({ code: 1006, reason: "" });
  }

  drop(code = 1006, reason = ""): void {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }

  /** Decoded packets the client sent. */
  get packets(): Packet[] {
    return this.sent.map((raw) => (typeof raw === "string" ? jsonCodec.decode(raw) : msgpackCodec.decode(raw)));
  }

  /** The RPC requests the client sent. */
  get requests(): RPCRequest[] {
    return this.packets.flatMap((p) => (p.rpc?.type === "request" ? [p.rpc] : []));
  }

  /** Delivers a packet to the client, msgpack-encoded. */
  push(packet: Packet): void {
    const bytes = msgpackCodec.encode(packet);
    this.onmessage?.({ data: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) });
  }
}
