"""Game models: pure numbers, no file formats."""

from negsim.game.normal_form import NormalFormGame
from negsim.game.profile import expected_payoffs, max_regret, pure_strategy_payoffs

__all__ = ["NormalFormGame", "expected_payoffs", "max_regret", "pure_strategy_payoffs"]
