"""A scenario's negotiation: the bargaining problem it defines and the deals on the table.

The disagreement point of the bargaining problem is what the parties get without a deal: by
default an equilibrium of the scenario's own game (the no-deal game), chosen by the
``bargaining`` section of the file (``no_deal``: an equilibrium reaching that outcome), or given
explicitly (``disagreement``). The feasible agreements are the game's pure profiles (or those
in the ``deals`` outcomes), and lotteries over them unless ``lotteries: false``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from negsim.analysis.bargaining import (
    AlternatingOffers,
    BargainingProblem,
    Solution,
    egalitarian,
    kalai_smorodinsky,
    nash_solution,
    rubinstein_over_frontier,
    utilitarian,
)
from negsim.errors import UsageError
from negsim.report.words import number
from negsim.scenario.model import Scenario
from negsim.solvers.result import SolveResult

#: Discount factor per round of offers when the file gives none.
DEFAULT_DISCOUNT = 0.9


@dataclass(frozen=True, eq=False)
class Negotiation:
    """The bargaining problem of a scenario and its solutions."""

    problem: BargainingProblem
    how: str
    solutions: tuple[Solution, ...]
    offers: tuple[AlternatingOffers, ...]
    unit: str
    notes: tuple[str, ...]

    def sentences(self) -> list[str]:
        """The negotiation in plain words: threat point, zone of agreement, solutions, offers."""
        problem = self.problem
        players = problem.players
        d = ", ".join(f"{p} {number(float(v))}" for p, v in zip(players, problem.disagreement))
        lines = [f"Without a deal: {d} ({self.how})."]
        zopa = problem.zopa()
        if len(zopa.labels):
            shown = ", ".join(zopa.labels[:6]) + (
                f" and {len(zopa.labels) - 6} more" if len(zopa.labels) > 6 else ""
            )
            lines.append(f"Every party prefers to no deal: {shown}.")
        elif zopa.exists:
            lines.append(
                "No single outcome is better for every party than no deal, but a lottery over outcomes is."
            )
        front = [problem.labels[j] for j in problem.frontier()]
        lines.append(f"Pareto-efficient agreements: {', '.join(front)}.")
        lines += [s.sentence(players, self.unit) + "." for s in self.solutions]
        lines += [offer.sentence(players, self.unit) + "." for offer in self.offers]
        return lines

    def to_json(self) -> dict[str, Any]:
        """JSON-ready data (the shape documented in the README)."""
        problem = self.problem
        players = list(problem.players)
        zopa = problem.zopa()
        efficient = set(int(j) for j in problem.frontier())
        in_zopa = set(int(j) for j in zopa.indices)

        def solution(s: Solution) -> dict[str, Any]:
            return {
                "payoffs": {p: float(v) for p, v in zip(players, s.payoffs)},
                "weights": dict(s.weights),
                "sentence": s.sentence(players, self.unit),
            }

        return {
            "players": players,
            "disagreement": {p: float(v) for p, v in zip(players, problem.disagreement)},
            "disagreement_from": self.how,
            "lotteries": problem.lotteries,
            "points": [
                {
                    "label": label,
                    "payoffs": {p: float(v) for p, v in zip(players, row)},
                    "efficient": j in efficient,
                    "in_zopa": j in in_zopa,
                }
                for j, (label, row) in enumerate(zip(problem.labels, problem.points))
            ],
            "zopa": {"outcomes": list(zopa.labels), "exists": zopa.exists},
            "solutions": {s.name: solution(s) for s in self.solutions},
            "alternating_offers": [
                {
                    "first": players[o.first],
                    "discount": {p: float(v) for p, v in zip(players, o.deltas)},
                    "agreement": solution(o.agreement),
                }
                for o in self.offers
            ],
            "summary": self.sentences(),
            "notes": list(self.notes),
        }


def negotiation(scenario: Scenario, result: SolveResult | None = None) -> Negotiation:
    """The scenario's bargaining problem with its Nash, Kalai-Smorodinsky, egalitarian and
    utilitarian solutions, and (two parties) alternating offers with each party proposing first.

    Examples
    --------
    >>> import negsim
    >>> talks = negotiation(negsim.load("scenarios/package_bargaining.yaml"))
    >>> talks.problem.disagreement.tolist(), talks.how
    ([0.0, 1.0], "the equilibrium of the game without a deal, which reaches 'war goes on'")
    """
    problem, how = bargaining_problem(scenario, result)
    values = scenario.parameter_values()
    powers = _per_player(scenario, "powers", values)
    solutions = [
        nash_solution(problem, powers),
        kalai_smorodinsky(problem),
        egalitarian(problem),
        utilitarian(problem),
    ]
    offers: list[AlternatingOffers] = []
    notes: list[str] = []
    if problem.n_players == 2 and problem.lotteries:
        discount = _per_player(scenario, "discount", values)
        deltas = [DEFAULT_DISCOUNT] * 2 if discount is None else list(discount)
        if discount is None:
            notes.append(
                f"Alternating offers use a discount factor of {DEFAULT_DISCOUNT} per round for both parties."
            )
        offers = [rubinstein_over_frontier(problem, deltas, first) for first in (0, 1)]
    elif problem.n_players > 2:
        notes.append("Alternating offers are computed for two parties only.")
    unit = scenario.payoff_unit() or ""
    return Negotiation(problem, how, tuple(solutions), tuple(offers), unit, tuple(notes))


def bargaining_problem(
    scenario: Scenario, result: SolveResult | None = None
) -> tuple[BargainingProblem, str]:
    """The feasible agreements and the disagreement point, and how that point was chosen."""
    section = scenario.compiled.spec.bargaining
    game = scenario.game()
    result = scenario.solve() if result is None else result
    masks = scenario.outcome_masks()
    profiles = np.ones(game.shape, dtype=bool)
    deals = section.deals if section is not None else []
    if deals:
        profiles = np.zeros(game.shape, dtype=bool)
        for name in deals:
            profiles |= masks[name]
    points, labels = [], []
    for index in np.argwhere(profiles):
        profile = tuple(int(i) for i in index)
        owners = [name for name in (deals or masks) if masks[name][profile]]
        name = " / ".join(game.profile_label(profile))
        if owners and int(masks[owners[0]].sum()) == 1:
            name = owners[0]
        elif owners:
            name = f"{owners[0]} ({name})"
        points.append(game.payoffs[profile])
        labels.append(name)
    values = scenario.parameter_values()
    explicit = _per_player(scenario, "disagreement", values)
    if explicit is not None:
        disagreement, how = np.array(explicit), "as given in the scenario"
    else:
        disagreement, how = _threat_point(result, section.no_deal if section is not None else None)
    lotteries = section.lotteries if section is not None else True
    problem = BargainingProblem(np.array(points), labels, disagreement, game.players, lotteries=lotteries)
    return problem, how


def _threat_point(result: SolveResult, no_deal: str | None) -> tuple[np.ndarray, str]:
    equilibria = list(result.equilibria)
    if not equilibria:
        raise UsageError(
            "the game without a deal has no equilibrium found, so there is no disagreement point"
        )
    if no_deal is not None:
        equilibria = [e for e in equilibria if e.outcome_probabilities.get(no_deal, 0.0) > 1 - 1e-9]
        if not equilibria:
            raise UsageError(
                f"no equilibrium of the game without a deal reaches '{no_deal}' for sure; "
                "give the disagreement payoffs explicitly under bargaining: disagreement"
            )
    worst = min(equilibria, key=lambda e: float(np.sum(e.payoffs)))
    if no_deal is not None:
        how = f"the equilibrium of the game without a deal, which reaches '{no_deal}'"
    else:
        how = "the equilibrium of the game without a deal that is worst for the parties together"
    if len(equilibria) > 1:
        how += f"; the least favourable of {len(equilibria)} such equilibria"
    return np.asarray(worst.payoffs, dtype=np.float64), how


def _per_player(scenario: Scenario, part: str, values: dict[str, float]) -> list[float] | None:
    compiled = scenario.compiled.bargaining.get(part)
    if not compiled:
        return None
    default = {"disagreement": 0.0, "powers": 1.0, "discount": DEFAULT_DISCOUNT}[part]
    return [
        float(compiled[i].evaluate(values)) if i in compiled else default
        for i in range(len(scenario.players))
    ]


def outcome_profile(scenario: Scenario, outcome: str, *, best: bool = True) -> tuple[tuple[int, ...], str]:
    """The pure profile standing for a named outcome: its best (or worst) for the parties together.

    Returns the profile and a note naming it when the outcome holds several profiles.
    """
    from negsim.scenario.validation import suggest

    masks = scenario.outcome_masks()
    if outcome not in masks:
        raise UsageError(f"unknown outcome '{outcome}'; {suggest(outcome, list(masks))}")
    game = scenario.game()
    profiles = [tuple(int(i) for i in index) for index in np.argwhere(masks[outcome])]
    if not profiles:
        raise UsageError(f"outcome '{outcome}' holds no strategy profile the scenario allows")
    welfare = [float(np.sum(game.payoffs[p])) for p in profiles]
    chosen = profiles[int(np.argmax(welfare) if best else np.argmin(welfare))]
    note = ""
    if len(profiles) > 1:
        which = "best" if best else "worst"
        note = (
            f"'{outcome}' holds {len(profiles)} profiles; the one {which} for the parties together "
            f"stands for it: {' / '.join(game.profile_label(chosen))}."
        )
    return chosen, note
