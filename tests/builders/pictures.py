"""Pictures as the shop's admin uploads them."""

import struct
import zlib


def picture_png(size: int = 240) -> bytes:
    """A square PNG that decodes whole: a warm glaze, lighter towards the top (a stand-in
    product photo)."""
    rows = b"".join(
        b"\x00"
        + bytes(value for x in range(size) for value in (210 - y // 3, 130 - y // 4, 70 + x // 6))
        for y in range(size)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
