"""A signing worker process: `python -m chainops.validator.signer` (framed stdin -> stdout).

A subprocess rather than multiprocessing: spawn and forkserver would re-run the `chainops`
console script in each worker, and fork would copy the running event loop.
"""

from __future__ import annotations

import asyncio
import signal
import struct
import sys
from typing import BinaryIO

from solders.hash import Hash

from chainops.validator.generator import sign_batch

_REQUEST = struct.Struct("<qQI32s")  # seed, counter, plan length, blockhash


def encode_request(seed: int, counter: int, blockhash: Hash, plan: bytes) -> bytes:
    return _REQUEST.pack(seed, counter, len(plan), bytes(blockhash)) + plan


def serve(stdin: BinaryIO, stdout: BinaryIO) -> None:
    while header := stdin.read(_REQUEST.size):
        seed, counter, length, blockhash = _REQUEST.unpack(header)
        plan = stdin.read(length)
        signed = sign_batch(seed, plan, counter, blockhash)
        body = b"".join(struct.pack("<H", len(raw)) + raw for raw in signed)
        stdout.write(struct.pack("<II", len(signed), len(body)) + body)
        stdout.flush()


class SignerProcess:
    """The parent's handle on one worker; requests are answered in order."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self._process = process
        self._lock = asyncio.Lock()

    @classmethod
    async def start(cls) -> SignerProcess:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            __name__,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        return cls(process)

    async def sign(self, seed: int, counter: int, blockhash: Hash, plan: bytes) -> list[bytes]:
        stdin, stdout = self._process.stdin, self._process.stdout
        if stdin is None or stdout is None:
            raise RuntimeError("signer process has no pipes")
        async with self._lock:
            stdin.write(encode_request(seed, counter, blockhash, plan))
            await stdin.drain()
            count, size = struct.unpack("<II", await stdout.readexactly(8))
            body = await stdout.readexactly(size)
        out: list[bytes] = []
        offset = 0
        for _ in range(count):
            (length,) = struct.unpack_from("<H", body, offset)
            out.append(body[offset + 2 : offset + 2 + length])
            offset += 2 + length
        return out

    def close(self) -> None:
        if self._process.returncode is None:
            if self._process.stdin is not None:
                self._process.stdin.close()
            self._process.kill()


if __name__ == "__main__":
    # systemd and a terminal signal the whole process group: the worker outlives the
    # parent's SIGTERM/SIGINT until the parent closes its stdin (or dies), so the parent
    # never loses a batch in flight while it shuts down cleanly.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    serve(sys.stdin.buffer, sys.stdout.buffer)
