"""Readers for game files written by other tools (Gambit ``.nfg``)."""

from negsim.io.nfg import parse_nfg, read_nfg

__all__ = ["parse_nfg", "read_nfg"]
