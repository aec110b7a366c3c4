"""Analyses on top of games and equilibria: dominance, welfare and Pareto efficiency."""
