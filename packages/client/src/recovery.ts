import { ConnectionClosedError, createPacket, PacketSource, type Packet } from "@webshocket/protocol";
import type { Duration } from "./options.js";
import type { CallHost } from "./pending.js";
import { unaryCall } from "./unaryCall.js";

/** The control call that reads a channel's history (PROTOCOL.md § 12). */
export const HISTORY_METHOD = "$history";
/** Publications asked per `$history` call. */
const PAGE = 256;

/** How one channel came through a reconnection that did not resume the session (the `recover` event). */
export interface ChannelRecovery {
  readonly channel: string;
  /** True: every publication missed was delivered, in order, once. False: some are gone (history too short, another epoch, refused). */
  readonly recovered: boolean;
  /** Publications delivered from the channel's history (0 when `recovered` is false: never part of a gap). */
  readonly replayed: number;
}

interface HistoryAnswer {
  epoch: string;
  offset: number;
  publications: Array<{ offset: number; data: unknown }>;
  recovered: boolean;
}

/**
 * Channel recovery by position: remembers the last position delivered per exact channel; after a
 * reconnection that lost the session it holds each such channel's live messages, reads what was missed
 * from `$history`, delivers it, then the held messages newer than it (no duplicates).
 */
export class Recovery {
  /** Last position delivered, per exact channel. */
  readonly _last = new Map<string, [string, number]>();
  /** Channels being recovered, with the live messages that wait for their history (kept across a drop mid-recovery). */
  _held = new Map<string, Packet[]>();
  private _run = 0;

  constructor(
    private readonly _host: CallHost,
    private readonly _timeout: Duration | null,
    private readonly _deliver: (packet: Packet) => void,
  ) {}

  /** True when the packet is held (its channel is being recovered) or already delivered; false: deliver it now. */
  _take(packet: Packet): boolean {
    const position = packet.position;
    const channel = packet.channel;
    if (!position || channel == null) return false;
    const held = this._held.get(channel);
    if (held) return held.push(packet) > 0;
    const last = this._last.get(channel);
    if (last && last[0] === position[0] && position[1] <= last[1]) return true;
    this._last.set(channel, position);
    return false;
  }

  /**
   * Holds the live messages of every channel with a known position from now on, and once `ready` settles
   * (the subscriptions asked again) recovers each from `$history`. Resolves with the outcome per channel.
   */
  async _recover(ready: Promise<unknown>): Promise<ChannelRecovery[] | undefined> {
    const run = ++this._run;
    const channels = [...this._last.keys()];
    this._held = new Map(channels.map((c) => [c, []]));
    await ready;
    const outcome = await Promise.all(channels.map((c) => this._one(c, run)));
    // Undefined: the connection dropped meanwhile (or a later reconnection took over), which starts over.
    return run === this._run && outcome.every(Boolean) ? (outcome as ChannelRecovery[]) : undefined;
  }

  private async _one(channel: string, run: number): Promise<ChannelRecovery | undefined> {
    const [epoch, since] = this._last.get(channel) as [string, number];
    const missed: Packet[] = [];
    let at = since;
    let recovered = true;
    try {
      for (;;) {
        const answer = (await unaryCall<HistoryAnswer>(this._host, HISTORY_METHOD, [channel, epoch, at, PAGE], { raiseOnError: true }, this._timeout)).data;
        if (!answer.recovered) throw 0;
        for (const p of answer.publications) missed.push(createPacket(PacketSource.CHANNEL, { channel, data: p.data, timestamp: null, position: [epoch, (at = p.offset)] }));
        if (answer.publications.length < PAGE || at >= answer.offset) break;
      }
    } catch (error) {
      // Dropped: still held, and the next reconnection (of any kind) reads again from the same position.
      if (error instanceof ConnectionClosedError) return;
      recovered = false; // gone (another epoch, too old) or refused
    }
    if (run !== this._run) return;
    const held = this._held.get(channel) ?? [];
    this._held.delete(channel);
    if (!recovered) this._last.delete(channel); // reported once; newer live messages set it again
    const replay = recovered ? missed : [];
    for (const p of [...replay, ...held]) if (!this._take(p)) this._deliver(p);
    return { channel, recovered, replayed: replay.length };
  }
}
