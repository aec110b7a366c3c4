"""Plain-language descriptions of equilibria: who does what, who gets what, why it is stable."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from negsim.solvers.result import Equilibrium, SolveResult

Phrases = Sequence[Sequence[str]]


def default_phrases(result: SolveResult) -> list[list[str]]:
    """``plays <strategy>`` for every strategy: used when no scenario phrases are given."""
    return [[f"plays {label}" for label in labels] for labels in result.game.strategies]


def number(value: float) -> str:
    """A payoff or probability written for people: 3, 1.5, 0.333, 1e+20.

    >>> number(3.0), number(1.5), number(1 / 3), number(-2e6), number(1e20)
    ('3', '1.5', '0.333', '-2000000', '1e+20')
    """
    if abs(value) < 1e15 and abs(value - round(value)) < 1e-9:
        return str(round(value))
    return f"{value:.3g}"


def percent(probability: float) -> str:
    """A probability as a percentage with sensible precision."""
    value = 100 * probability
    return f"{value:.0f}%" if abs(value - round(value)) < 0.05 else f"{value:.1f}%"


def join_words(items: Sequence[str], empty: str = "") -> str:
    """Items joined in plain words: "a", "a and b", "a, b and c" (``empty`` when there are none).

    Examples
    --------
    >>> join_words(["settlement"]), join_words(["a", "b", "c"]), join_words([], "none")
    ('settlement', 'a, b and c', 'none')
    """
    items = list(items)
    if not items:
        return empty
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def action(result: SolveResult, equilibrium: Equilibrium, player: int, phrases: Phrases) -> str:
    """What one player does in an equilibrium, e.g. 'Russia signs the pledge'."""
    name = result.game.players[player]
    mix = equilibrium.strategies[player]
    support = [int(k) for k in np.flatnonzero(mix > 0)]
    if len(support) == 1:
        return f"{name} {phrases[player][support[0]]}"
    order = sorted(support, key=lambda k: -mix[k])
    parts = [f"{phrases[player][k]} ({percent(mix[k])})" for k in order]
    return f"{name}, at random: " + " or ".join(parts)


def _better_equilibrium(result: SolveResult, equilibrium: Equilibrium) -> tuple[int, Equilibrium] | None:
    """The equilibrium (1-based number) with the highest total that Pareto-dominates this one."""
    tol = result.tolerance
    best: tuple[int, Equilibrium] | None = None
    for index, other in enumerate(result.equilibria, 1):
        dominates = np.all(other.payoffs >= equilibrium.payoffs - tol) and np.any(
            other.payoffs > equilibrium.payoffs + tol
        )
        if dominates and (best is None or other.payoffs.sum() > best[1].payoffs.sum()):
            best = (index, other)
    return best


def describe(result: SolveResult, equilibrium: Equilibrium, phrases: Phrases | None = None) -> str:
    """One paragraph saying what happens in an equilibrium and why it holds.

    Examples
    --------
    >>> from negsim.game.normal_form import NormalFormGame
    >>> from negsim.solvers import solve
    >>> pd = NormalFormGame.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]], ["Ann", "Bob"],
    ...                                   [["cooperate", "defect"]] * 2)
    >>> result = solve(pd)
    >>> print(describe(result, result.equilibria[0]))  # doctest: +NORMALIZE_WHITESPACE
    Ann plays defect and Bob plays defect. Neither gains by changing its choice alone. Payoffs: Ann 1,
    Bob 1. Everyone could do at least as well, and someone better, if Ann plays cooperate and Bob plays
    cooperate (payoffs Ann 3, Bob 3); but no equilibrium found gets there: in that profile someone
    would deviate.
    """
    game = result.game
    phrases = phrases or default_phrases(result)
    actions = [action(result, equilibrium, i, phrases) for i in range(game.n_players)]
    mixed = not equilibrium.is_pure
    text = ("; ".join(actions) if mixed else join_words(actions)) + ". "
    if game.n_players == 2:
        text += "Neither gains by changing its choice alone"
    else:
        text += "No party gains by changing its choice alone"
    if mixed:
        text += " (each mixing party is indifferent between the choices it mixes)"
    text += ". "
    reached = [(name, p) for name, p in equilibrium.outcome_probabilities.items() if p > 1e-12]
    if reached:
        if len(reached) == 1 and reached[0][1] > 1 - 1e-9:
            text += f"This is the {reached[0][0]} outcome. "
        else:
            parts = [f"{name} ({percent(p)})" for name, p in sorted(reached, key=lambda x: -x[1])]
            text += f"Outcomes reached: {join_words(parts)}. "
    pays = ", ".join(f"{p} {number(v)}" for p, v in zip(game.players, equilibrium.payoffs))
    text += f"Payoffs: {pays}."
    better_equilibrium = _better_equilibrium(result, equilibrium)
    if better_equilibrium is not None:
        index, other = better_equilibrium
        pays = ", ".join(f"{p} {number(v)}" for p, v in zip(game.players, other.payoffs))
        text += (
            f" Equilibrium number {index} is at least as good for everyone and better for someone "
            f"(payoffs {pays}), and it is stable too, so the parties could coordinate on it."
        )
    elif equilibrium.dominating_profile is not None:
        better = equilibrium.dominating_profile
        who = join_words([f"{game.players[i]} {phrases[i][k]}" for i, k in enumerate(better)])
        values = game.payoffs[tuple(better)]
        pays = ", ".join(f"{p} {number(v)}" for p, v in zip(game.players, values))
        text += (
            f" Everyone could do at least as well, and someone better, if {who} (payoffs {pays}); "
            "but no equilibrium found gets there: in that profile someone would deviate."
        )
    return text


def summary(result: SolveResult) -> str:
    """One or two sentences on how many equilibria there are and how far to trust the list."""
    count = len(result.equilibria)
    noun = "equilibrium" if count == 1 else "equilibria"
    pure = sum(e.is_pure for e in result.equilibria)
    if result.method == "pure-scan":
        checked = "every pure profile was checked, mixed equilibria were not searched."
        if pure == 0:
            return (
                f"No pure Nash equilibrium; {checked} Every finite game has an equilibrium, "
                "so this one has at least one mixed equilibrium."
            )
        return f"{pure} pure Nash {'equilibrium' if pure == 1 else 'equilibria'}; {checked}"
    if result.complete:
        text = f"{count} Nash {noun} ({pure} pure, {count - pure} mixed); the search covered all of them."
    else:
        text = (
            f"{count} Nash {noun} found ({pure} pure, {count - pure} mixed); the search was not exhaustive."
        )
    if result.degenerate:
        text += " The game is degenerate: some equilibria may form continua whose corners are listed."
    if count == 0 and not result.complete:
        text += " This does not mean there is none: every finite game has at least one (possibly mixed)."
    return text


def possessive(name: str) -> str:
    """A party's name in the possessive.

    Examples
    --------
    >>> possessive("Ukraine"), possessive("Guarantors")
    ("Ukraine's", "Guarantors'")
    """
    return f"{name}'" if name.endswith("s") else f"{name}'s"
