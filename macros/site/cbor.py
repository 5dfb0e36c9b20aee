"""The part of CBOR (RFC 8949) that Pagefind's index files use: integers, byte and text
strings, arrays, and `false`, `true`, `null`, each in its shortest form with definite lengths
(as Pagefind's encoder, minicbor, writes them). Anything else is refused, so that `search.py`
never rewrites a file it does not fully understand."""

from __future__ import annotations

import struct
from typing import Any

_SIMPLE = {20: False, 21: True, 22: None}
_LENGTHS = {24: ">B", 25: ">H", 26: ">I", 27: ">Q"}


def loads(data: bytes) -> Any:
    value, end = _item(data, 0)
    if end != len(data):
        raise ValueError(f"{len(data) - end} bytes after the CBOR item")
    return value


def _item(data: bytes, at: int) -> tuple[Any, int]:
    major, info = data[at] >> 5, data[at] & 31
    at += 1
    if major == 7:
        if info not in _SIMPLE:
            raise ValueError(f"CBOR simple value or float {info} at byte {at - 1}")
        return _SIMPLE[info], at
    if info < 24:
        number = info
    elif info in _LENGTHS:
        size = struct.calcsize(_LENGTHS[info])
        (number,) = struct.unpack_from(_LENGTHS[info], data, at)
        at += size
    else:
        raise ValueError(f"CBOR indefinite length or reserved value at byte {at - 1}")
    if major == 0:
        return number, at
    if major == 1:
        return -1 - number, at
    if major in (2, 3):
        raw = data[at : at + number]
        if len(raw) != number:
            raise ValueError("CBOR string cut short")
        return (raw if major == 2 else raw.decode("utf-8")), at + number
    if major == 4:
        items = []
        for _ in range(number):
            value, at = _item(data, at)
            items.append(value)
        return items, at
    raise ValueError(f"CBOR major type {major} at byte {at - 1}")


def dumps(value: Any) -> bytes:
    if value is None or isinstance(value, bool):
        return bytes([0xE0 | {False: 20, True: 21, None: 22}[value]])
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        encoded = value.encode("utf-8")
        return _head(3, len(encoded)) + encoded
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(dumps(item) for item in value)
    raise TypeError(f"no CBOR for {type(value).__name__}")


def _head(major: int, number: int) -> bytes:
    """The shortest head for `number` (RFC 8949, 4.2.1)."""
    if number < 24:
        return bytes([major << 5 | number])
    for info, form in _LENGTHS.items():
        if number < 1 << (8 * struct.calcsize(form)):
            return bytes([major << 5 | info]) + struct.pack(form, number)
    raise ValueError(f"{number} is too large for CBOR")
