"""A Python client of the webshocket wire protocol, on Debian's python3-msgpack and python3-websockets.

It writes packets as the Python library's client does (msgspec's field layout: the six packet fields in order,
a float timestamp) and prints one JSON report of what it received, for test/pythonClient.test.ts to check.

    python3 compat_client.py ints URL    exact integer types of echo() replies, and one reply's bytes
    python3 compat_client.py big URL N   frame sizes of an N-byte echo() reply
    python3 compat_client.py full URL    two connections: the second's handshake status and Retry-After
"""

import asyncio
import json
import sys
import time
import uuid

import msgpack
import websockets
from websockets.exceptions import InvalidStatusCode
from websockets.legacy.client import WebSocketClientProtocol

SUBPROTOCOL = "webshocket.v1"
RPC = 5


class FrameRecorder(WebSocketClientProtocol):
    """Records the payload size of every data frame (fragments included) before websockets joins them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.frame_sizes = []

    async def read_frame(self, max_size):
        frame = await super().read_frame(max_size)
        if frame.opcode in (0, 1, 2):
            self.frame_sizes.append(len(frame.data))
        return frame


def request(method, args):
    packet = {
        "source": RPC,
        "data": None,
        "rpc": {"type": "request", "method": method, "args": args, "kwargs": {}, "call_id": str(uuid.uuid4())},
        "channel": None,
        "timestamp": time.time(),
        "correlation_id": None,
    }
    return packet["rpc"]["call_id"], msgpack.packb(packet, use_bin_type=True)


async def call(ws, method, args):
    """Sends one call; returns (reply packet, raw reply bytes)."""
    call_id, raw = request(method, args)
    await ws.send(raw)
    while True:
        message = await ws.recv()
        packet = msgpack.unpackb(message, raw=False)
        rpc = packet.get("rpc") or {}
        if rpc.get("call_id") == call_id:
            return packet, message


def connect(url, **kwargs):
    return websockets.connect(url, subprotocols=[SUBPROTOCOL], max_size=None, compression=None, **kwargs)


async def ints(url):
    values = [2**31, 2**32, 2**40, 2**53 - 1, -(2**31) - 1, -(2**53) + 1, 1700000000000]
    out = {"values": []}
    async with connect(url) as ws:
        for value in values:
            packet, raw = await call(ws, "echo", [value])
            got = packet["rpc"].get("response")
            out["values"].append({"sent": str(value), "got": str(got), "type": type(got).__name__})
        packet, raw = await call(ws, "echo", [2**32])
        out["echo_2_32_hex"] = raw.hex()
        out["echo_2_32_data"] = repr(packet.get("data"))
    return out


async def big(url, size):
    async with connect(url, create_protocol=FrameRecorder) as ws:
        value = "x" * size
        ws.frame_sizes.clear()
        packet, raw = await call(ws, "echo", [value])
        reply = packet["rpc"].get("response")
        return {"equal": reply == value, "message_bytes": len(raw), "frame_sizes": ws.frame_sizes}


async def full(url):
    async with connect(url) as first:
        packet, _ = await call(first, "add", [1, 2])
        out = {"first": packet["rpc"].get("response")}
        try:
            async with connect(url) as second:
                out["second"] = "connected"
        except InvalidStatusCode as err:
            out["second"] = err.status_code
            out["retry_after"] = err.headers.get("Retry-After")
    return out


def main():
    mode, url = sys.argv[1], sys.argv[2]
    if mode == "ints":
        result = asyncio.run(ints(url))
    elif mode == "big":
        result = asyncio.run(big(url, int(sys.argv[3])))
    elif mode == "full":
        result = asyncio.run(full(url))
    else:
        raise SystemExit(f"unknown mode {mode}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
