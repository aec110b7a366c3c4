"""Solving a game tree: subgame-perfect play first, then the Nash equilibria of its normal form.

Every Nash equilibrium of the normal form is labelled credible (no lapse at any subgame)
or not, with the lapses that make it incredible; see :mod:`negsim.analysis.credibility`.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np

from negsim.analysis.credibility import Lapse, lapses
from negsim.errors import DegenerateGameWarning, GameError, SolverError
from negsim.game.extensive import NORMAL_FORM_LIMIT, ReducedNormalForm, reduced_normal_form
from negsim.game.tree import GameTree
from negsim.solvers.backward import SPE_LIMIT, TreeSolution, backward_induction
from negsim.solvers.result import DEFAULT_TOLERANCE, SolveResult


@dataclass(frozen=True, eq=False)
class TreeResult:
    """Everything negsim finds about a game tree.

    Attributes
    ----------
    spe
        The subgame-perfect equilibria (None when the tree has information sets).
    form
        The reduced normal form (None when it would be too large).
    nash
        The Nash equilibria of the normal form (None when it was not built).
    lapses
        For each Nash equilibrium, the nodes where its plan would not be carried out; an
        empty tuple means the equilibrium is credible.
    notes
        Plain-language remarks on what was and was not computed.
    """

    tree: GameTree
    spe: TreeSolution | None
    form: ReducedNormalForm | None
    nash: SolveResult | None
    lapses: tuple[tuple[Lapse, ...], ...]
    notes: tuple[str, ...]

    @property
    def credible(self) -> tuple[bool, ...]:
        """For each Nash equilibrium, whether it rests on no incredible threat or promise."""
        return tuple(not found for found in self.lapses)

    def reach(self, index: int) -> np.ndarray:
        """Probability of reaching each node when Nash equilibrium ``index`` is played."""
        assert self.form is not None and self.nash is not None
        tree = self.tree
        weights = np.nan_to_num(self.form.edge_weights(self.nash.equilibria[index].strategies), nan=0.0)
        reach = np.ones(tree.n_nodes)
        for level in range(1, len(tree.level_starts) - 1):
            nodes = np.arange(tree.level_starts[level], tree.level_starts[level + 1])
            reach[nodes] = reach[tree.parent[nodes]] * weights[nodes]
        return reach

    def behaviour(self, index: int) -> list[dict[int, np.ndarray]]:
        """Nash equilibrium ``index`` as behaviour: move probabilities per information set, per player."""
        assert self.form is not None and self.nash is not None
        equilibrium = self.nash.equilibria[index]
        return [self.form.behaviour(p, s) for p, s in enumerate(equilibrium.strategies)]


def solve_tree(
    tree: GameTree,
    *,
    tol: float = DEFAULT_TOLERANCE,
    normal_form_limit: int = NORMAL_FORM_LIMIT,
    spe_limit: int = SPE_LIMIT,
) -> TreeResult:
    """Subgame-perfect equilibria, Nash equilibria of the normal form, and their credibility.

    Examples
    --------
    >>> tree = GameTree.from_parents(["Entrant", "Incumbent"], parent=[-1, 0, 0, 2, 2],
    ...     kind=[1, 0, 1, 0, 0], player=[0, -1, 1, -1, -1],
    ...     moves=["", "Out", "In", "Fight", "Acquiesce"],
    ...     payoffs=[[0, 0], [0, 2], [0, 0], [-1, -1], [1, 1]])
    >>> result = solve_tree(tree)
    >>> len(result.spe), len(result.nash.equilibria), result.credible
    (1, 3, (False, True, False))
    >>> print(result.lapses[0][0].sentence(tree))  # doctest: +NORMALIZE_WHITESPACE
    Incumbent would not carry out the threat to Fight (after In):
    Fight would give Incumbent -1, but Acquiesce gives 1.

    The third equilibrium mixes: the incumbent says it will fight with probability 1/2, enough
    to keep the entrant out, and that threat is no more credible than the pure one.
    """
    from negsim.solvers import solve
    from negsim.solvers.verify import absolute_tolerance

    if not (math.isfinite(tol) and tol >= 0):
        raise SolverError(f"the tolerance must be a finite number >= 0, got {tol!r}")
    notes: list[str] = []
    spe: TreeSolution | None = None
    if tree.perfect_information:
        spe = backward_induction(tree, tol=tol, limit=spe_limit)
        if not spe.complete:
            notes.append(
                f"There are more than {spe_limit:,} subgame-perfect equilibria; "
                f"the first {spe_limit:,} are listed."
            )
    else:
        notes.append(
            "Some players cannot tell certain positions apart (information sets), so backward "
            "induction does not apply; the Nash equilibria of the normal form are shown as behaviour "
            "strategies (move probabilities at each information set)."
        )
    form: ReducedNormalForm | None = None
    nash: SolveResult | None = None
    found: list[tuple[Lapse, ...]] = []
    try:
        form = reduced_normal_form(tree, limit=normal_form_limit)
    except GameError as exc:
        if spe is None:
            raise
        notes.append(f"Nash equilibria of the normal form were not computed: {exc}.")
    if form is not None:
        with warnings.catch_warnings():
            # normal forms of trees are typically degenerate; the result says so itself
            warnings.simplefilter("ignore", DegenerateGameWarning)
            nash = solve(form.game, tol=tol)
        atol = absolute_tolerance(form.game, tol)
        found = [lapses(form, e.strategies, atol) for e in nash.equilibria]
        if not tree.perfect_information:
            notes.append(
                "Credibility is checked where the mover knows where it is and the rest of the game "
                "stands on its own (a subgame)."
            )
    return TreeResult(tree, spe, form, nash, tuple(found), tuple(notes))
