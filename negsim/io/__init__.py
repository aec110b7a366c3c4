"""Readers for game files written by other tools (Gambit ``.nfg`` and ``.efg``)."""

from negsim.io.efg import parse_efg, read_efg
from negsim.io.nfg import parse_nfg, read_nfg

__all__ = ["parse_efg", "parse_nfg", "read_efg", "read_nfg"]
