"""Scenario files: the only part of negsim that knows the file format."""

from negsim.scenario.load import check, load, loads
from negsim.scenario.model import Scenario

__all__ = ["Scenario", "check", "load", "loads"]
