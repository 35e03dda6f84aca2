"""Stable integer hashes: the simulator's only source of randomness, so that its
jobs, positions and log text are the same in every run."""

from __future__ import annotations

import hashlib

MASK64 = (1 << 64) - 1


def mix64(x: int) -> int:
    """splitmix64 finaliser: a cheap, well-spread integer hash."""
    x = (x + 0x9E3779B97F4A7C15) & MASK64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK64
    return x ^ (x >> 31)


def stable_key(*parts: object) -> int:
    """A 64-bit key from strings/ints that is stable across runs (unlike hash())."""
    data = "\x00".join(str(p) for p in parts).encode("utf-8")
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big")


def quick_hash(key: int, j: int) -> int:
    """Cheaper than mix64, good enough to pick a line's kind and noise."""
    h = ((key ^ j) * 0x9E3779B97F4A7C15) & MASK64
    return h ^ (h >> 29)
