"""The game tree drawn left to right: moves, payoffs, subgame-perfect play and incredible moves.

The root sits at the left and every end of the game (leaf) in one column at the right, one row
per leaf, with the payoffs written beside it; a node sits at the mean height of its children.
Each move runs from its node in a short fan, then straight along the row of the node it leads
to, with the move's name written above that straight run.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from negsim.game.tree import CHANCE, DECISION, TERMINAL, GameTree
from negsim.plotting.common import ink_on, require, styled_figure, titled
from negsim.plotting.outcomes import legend_with_caption, side_height
from negsim.plotting.style import EQUILIBRIUM_COLOUR, PALETTE, new_axes, wrap
from negsim.report.words import number, percent

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from negsim.plotting.charts import ChartInput
    from negsim.solvers.sequential import TreeResult

#: Trees with more leaves than this are not drawn (one row per leaf would not be readable).
MAX_LEAVES = 200

#: Colours of the players' nodes: the palette without the equilibrium colour and the pale yellow.
PLAYER_COLOURS = tuple(c for c in PALETTE if c not in (EQUILIBRIUM_COLOUR, "#F0E442"))

#: Colour of chance nodes and of the plain edges.
CHANCE_COLOUR = "0.55"
EDGE_COLOUR = "0.6"

#: Colour of moves that some Nash equilibrium plans but the mover would not make.
INCREDIBLE_COLOUR = "0.1"

#: Payoffs at the leaves name each player when the label stays this short; otherwise a tuple.
MAX_NAMED_PAYOFFS = 44

#: Fraction of a level's width taken by the fan from a node to the rows of its children.
FAN = 0.22

#: Font sizes (points) of move labels, payoff labels and the "not credible" note.
MOVE_FONT = 8.0
PAYOFF_FONT = 8.5
NOTE_FONT = 7.0

#: Move labels are cut to this many lines (the last one ends in an ellipsis).
MAX_LABEL_LINES = 2

#: Reach probabilities within this of the largest count as equally likely plays.
_TIE = 1e-9

#: Modes: what the highlighted play is.
SUBGAME_PERFECT, NASH, NO_EQUILIBRIUM = "subgame-perfect", "nash", "none"


@dataclass(frozen=True, eq=False)
class TreeData:
    """Everything the game-tree chart shows, with one entry per node in the tree's order.

    An edge is named by the node it leads into (every node but the root has one).

    Attributes
    ----------
    title
        Title of the game.
    players
        Player names.
    parent, kind, mover
        Each node's parent (-1 for the root), kind (``TERMINAL``, ``DECISION`` or ``CHANCE``)
        and the player who moves there (-1 at chance and terminal nodes).
    x, y
        Position of each node: ``x`` its depth (every leaf in the last column), ``y`` its row
        (leaves are rows 0, 1, ... from the top in depth-first order; any other node sits at
        the mean of its children's rows).
    moves
        Name of the move that leads into each node ('' for the root).
    probabilities
        Probability written on the edge into each node: chance probabilities, and when no
        subgame-perfect equilibrium is drawn the first Nash equilibrium's move probabilities;
        NaN where nothing is written.
    leaf_labels
        The payoffs at each leaf, e.g. ``"Entrant 0, Incumbent 2"`` ('' at other nodes).
    payoff_heading
        Heading of the column of payoffs.
    path
        Edges of the highlighted play: every play of the first subgame-perfect equilibrium that
        happens with positive probability, or the likeliest play(s) of the first Nash equilibrium.
    plan
        The rest of that equilibrium's plan: moves it makes off the highlighted play.
    incredible
        Moves some Nash equilibrium plans that the mover would not make if play got there
        (judged by what that equilibrium plans afterwards). Moves a subgame-perfect equilibrium
        makes are left out: they are credible when play afterwards is credible too, and the
        incredible moves further on are marked where they are.
    infosets
        Information sets of two or more nodes (the mover cannot tell them apart), each top to bottom;
        their nodes are tagged with the letters of :attr:`infoset_tags`.
    mode
        :data:`SUBGAME_PERFECT`, :data:`NASH` or :data:`NO_EQUILIBRIUM`: what ``path`` shows.
    n_equilibria
        How many subgame-perfect equilibria (or, in ``NASH`` mode, Nash equilibria) there are.
    shown, shown_credible
        In ``NASH`` mode, the index of the Nash equilibrium drawn (the first credible one, if
        any) and whether it is credible.
    complete
        False when there are more equilibria than were listed.
    path_probability
        Probability of each highlighted play in ``NASH`` mode (1 otherwise).
    n_nash, n_incredible
        How many Nash equilibria the normal form has (0 when it was not built), and how many
        of them rest on a move that is not credible.
    """

    title: str
    players: tuple[str, ...]
    parent: np.ndarray
    kind: np.ndarray
    mover: np.ndarray
    x: np.ndarray
    y: np.ndarray
    moves: tuple[str, ...]
    probabilities: np.ndarray
    leaf_labels: tuple[str, ...]
    payoff_heading: str
    path: frozenset[int]
    plan: frozenset[int]
    incredible: frozenset[int]
    infosets: tuple[tuple[int, ...], ...]
    mode: str
    n_equilibria: int
    shown: int
    shown_credible: bool
    complete: bool
    path_probability: float
    n_nash: int
    n_incredible: int

    @property
    def chart_title(self) -> str:
        """The title drawn above the chart."""
        return titled("Game tree", self.title)

    @property
    def leaves(self) -> np.ndarray:
        """Indices of the leaves, top to bottom."""
        leaves = np.flatnonzero(self.kind == TERMINAL)
        return leaves[np.argsort(self.y[leaves], kind="stable")]

    @property
    def has_chance(self) -> bool:
        """True when the tree has chance moves."""
        return bool(np.any(self.kind == CHANCE))

    def path_label(self) -> str:
        """Legend label of the highlighted play."""
        return {
            SUBGAME_PERFECT: "subgame-perfect play",
            NASH: "likeliest play (Nash equilibrium)",
        }.get(self.mode, "")

    def plan_label(self) -> str:
        """Legend label of the rest of the plan."""
        return {
            SUBGAME_PERFECT: "planned move, off that play",
            NASH: "other moves made with some probability",
        }.get(self.mode, "")

    @property
    def caption(self) -> str:
        """What the marks mean, in plain words."""
        parts = ["Play runs left to right. Circles: a party chooses"]
        parts[-1] += "; diamonds: chance decides (with its probabilities)" if self.has_chance else ""
        parts[-1] += "; squares: the end of the game, with each party's payoff."
        several = self.n_equilibria > 1 or not self.complete
        count = f"{self.n_equilibria:,}" if self.complete else f"more than {self.n_equilibria:,}"
        if self.mode == SUBGAME_PERFECT and self.path:
            parts.append("Thick: the subgame-perfect play, what parties who look ahead do.")
            if self.plan:
                parts.append("Thin, same colour: what each would do at the moves never reached.")
            if several:
                parts.append(f"1 of {count} subgame-perfect equilibria shown.")
        elif self.mode == NASH:
            each = "each " if len(self.leaves_on_path()) > 1 else ""
            plays = "plays" if each else "play"
            parts.append(
                "Parties who cannot tell positions apart cannot simply look ahead, so the chart "
                f"shows Nash equilibrium {self.shown + 1} of {count}"
                f"{' (a credible one)' if self.shown_credible else ''}: thick, its likeliest {plays} "
                f"({each}{percent(self.path_probability)}); thin, other moves it makes; "
                "percentages: how often each move is made."
            )
        elif self.mode == NO_EQUILIBRIUM:
            parts.append("No equilibrium was found, so no play is highlighted.")
        if self.incredible:
            parts.append(
                "Dashed with ×: a threat or promise that the party would not carry out "
                f"if it came to it ({self.n_incredible} of {self.n_nash} Nash equilibria rest on one)."
            )
        if self.infosets:
            parts.append("Dotted, same letter: positions the mover cannot tell apart.")
        return " ".join(parts)

    @property
    def infoset_tags(self) -> tuple[str, ...]:
        """The tag written in the nodes of each information set: a, b, c, ... (1, 2, 3, ... beyond z)."""
        if len(self.infosets) <= 26:
            return tuple("abcdefghijklmnopqrstuvwxyz"[: len(self.infosets)])
        return tuple(str(k) for k in range(1, len(self.infosets) + 1))

    def leaves_on_path(self) -> list[int]:
        """The leaves the highlighted play ends at, top to bottom."""
        return [int(leaf) for leaf in self.leaves if int(leaf) in self.path]


def applies(chart_input: ChartInput) -> str | None:
    """None when the game tree can be drawn readably, otherwise why not.

    Examples
    --------
    >>> import negsim
    >>> from negsim.plotting.charts import ChartInput
    >>> applies(ChartInput.from_scenario(negsim.load("scenarios/guarantee_strength.yaml")))
    'a game-tree chart needs a game tree; this is a strategic-form game'
    """
    if chart_input.tree is None:
        return "a game-tree chart needs a game tree; this is a strategic-form game"
    n_leaves = len(chart_input.tree.tree.terminals)
    if n_leaves > MAX_LEAVES:
        return (
            f"too large to draw readably: {n_leaves:,} leaves; at most {MAX_LEAVES} fit on one chart "
            "(the report's text still lists the equilibria)"
        )
    return None


def positions(tree: GameTree) -> tuple[np.ndarray, np.ndarray]:
    """Where each node is drawn: ``(x, y)`` with x the depth (leaves in the last column) and y the row.

    Leaves take rows 0, 1, 2, ... in depth-first order; any other node sits at the mean row of
    its children.

    Examples
    --------
    >>> tree = GameTree.from_parents(["A", "B"], parent=[-1, 0, 0, 2, 2], kind=[1, 0, 1, 0, 0],
    ...     player=[0, -1, 1, -1, -1], moves=["", "out", "in", "fight", "yield"],
    ...     payoffs=[[0, 0], [0, 2], [0, 0], [-1, -1], [1, 1]])
    >>> x, y = positions(tree)
    >>> x.tolist(), y.tolist()
    ([0.0, 2.0, 1.0, 2.0, 2.0], [0.75, 0.0, 1.5, 1.0, 2.0])
    """
    y = np.zeros(tree.n_nodes)
    row, stack = 0, [0]
    while stack:
        node = stack.pop()
        if tree.n_children[node] == 0:
            y[node] = row
            row += 1
        else:
            stack.extend(int(c) for c in tree.children(node)[::-1])
    # children come after their parent in the tree's breadth-first order
    for node in range(tree.n_nodes - 1, -1, -1):
        if tree.n_children[node]:
            y[node] = y[tree.children(node)].mean()
    x = np.where(tree.kind == TERMINAL, tree.depth.max(), tree.depth).astype(np.float64)
    return x, y


def leaf_label(players: tuple[str, ...], payoffs: np.ndarray, named: bool = True) -> str:
    """The payoffs at a leaf: each player's name and payoff, or (``named=False``) just the numbers.

    Examples
    --------
    >>> leaf_label(("Ukraine", "Russia"), np.array([3.0, -1.0]))
    'Ukraine 3, Russia -1'
    >>> leaf_label(("A", "B", "C", "D"), np.array([1.0, 0.5, 0.0, 2.0]), named=False)
    '(1, 0.5, 0, 2)'
    """
    if named:
        return ", ".join(f"{name} {number(float(p))}" for name, p in zip(players, payoffs))
    return "(" + ", ".join(number(float(p)) for p in payoffs) + ")"


def prepare(chart_input: ChartInput) -> TreeData:
    """Node positions, labels, the highlighted play, the rest of its plan and the incredible moves.

    Examples
    --------
    Selten's entry deterrence: the incumbent's threat to fight is not credible.

    >>> from negsim.plotting.charts import ChartInput
    >>> from negsim.solvers.sequential import solve_tree
    >>> tree = GameTree.from_parents(["Entrant", "Incumbent"], parent=[-1, 0, 0, 2, 2],
    ...     kind=[1, 0, 1, 0, 0], player=[0, -1, 1, -1, -1],
    ...     moves=["", "Out", "In", "Fight", "Acquiesce"],
    ...     payoffs=[[0, 0], [0, 2], [0, 0], [-1, -1], [1, 1]])
    >>> data = prepare(ChartInput.from_tree(solve_tree(tree)))
    >>> [data.moves[n] for n in sorted(data.path)], [data.moves[n] for n in data.incredible]
    (['In', 'Acquiesce'], ['Fight'])
    >>> data.leaf_labels[1], data.n_incredible, data.n_nash
    ('Entrant 0, Incumbent 2', 2, 3)
    """
    require(applies(chart_input), "tree")
    result = chart_input.tree
    assert result is not None  # applies() said so
    tree = result.tree
    x, y = positions(tree)
    parent_kind = np.where(tree.parent >= 0, tree.kind[np.maximum(tree.parent, 0)], -1)
    probabilities = np.where(parent_kind == CHANCE, tree.probability, np.nan)

    leaves = tree.terminals
    named = [leaf_label(tree.players, tree.payoffs[leaf]) for leaf in leaves]
    use_names = max(len(label) for label in named) <= MAX_NAMED_PAYOFFS
    labels = [""] * tree.n_nodes
    for leaf, label in zip(leaves, named):
        labels[int(leaf)] = label if use_names else leaf_label(tree.players, tree.payoffs[leaf], named=False)
    heading = "payoffs" if use_names else f"payoffs ({', '.join(tree.players)})"

    path: set[int] = set()
    plan: set[int] = set()
    mode, n_equilibria, complete, path_probability = NO_EQUILIBRIUM, 0, True, 1.0
    shown = 0
    if result.spe is not None and result.spe.equilibria:
        mode, n_equilibria, complete = SUBGAME_PERFECT, len(result.spe), result.spe.complete
        first = result.spe.equilibria[0]
        for _, nodes in first.plays(limit=len(leaves)):
            path.update(nodes[1:])
        plan = {int(first.choice[n]) for n in np.flatnonzero(tree.kind == DECISION)} - path
    elif result.nash is not None and result.nash.equilibria:
        mode, n_equilibria, complete = NASH, len(result.nash.equilibria), result.nash.complete
        shown = next((i for i, ok in enumerate(result.credible) if ok), 0)
        weights = _behaviour_weights(result, shown)
        probabilities = np.where(parent_kind == DECISION, weights, probabilities)
        path, plan, path_probability = _likeliest(tree, weights)

    return TreeData(
        title=tree.title,
        players=tree.players,
        parent=tree.parent,
        kind=tree.kind,
        mover=tree.player,
        x=_frozen(x),
        y=_frozen(y),
        moves=tuple(tree.move_name(n) for n in range(tree.n_nodes)),
        probabilities=_frozen(probabilities),
        leaf_labels=tuple(labels),
        payoff_heading=heading,
        path=frozenset(path),
        plan=frozenset(plan),
        incredible=frozenset(_incredible(result) - _subgame_perfect_moves(result)),
        infosets=_infosets(tree, y),
        mode=mode,
        n_equilibria=n_equilibria,
        shown=shown,
        shown_credible=bool(result.credible and result.credible[shown]),
        complete=complete,
        path_probability=path_probability,
        n_nash=0 if result.nash is None else len(result.nash.equilibria),
        n_incredible=sum(1 for found in result.lapses if found),
    )


def _frozen(array: np.ndarray) -> np.ndarray:
    array = np.array(array, dtype=np.float64)
    array.setflags(write=False)
    return array


def _behaviour_weights(result: TreeResult, index: int) -> np.ndarray:
    """Per node: the probability that Nash equilibrium ``index`` takes the move into it (NaN if unsaid)."""
    tree = result.tree
    weights = np.where(tree.parent >= 0, np.nan, 1.0)
    for by_infoset in result.behaviour(index):
        for infoset, move_probabilities in by_infoset.items():
            for node in np.flatnonzero(tree.infoset == infoset):
                weights[tree.children(int(node))] = move_probabilities
    chance = tree.kind[np.maximum(tree.parent, 0)] == CHANCE
    return np.where(chance & (tree.parent >= 0), tree.probability, weights)


def _likeliest(tree: GameTree, weights: np.ndarray) -> tuple[set[int], set[int], float]:
    """Edges of the likeliest plays, other edges taken with positive probability, and that probability."""
    taken = np.nan_to_num(weights, nan=0.0)
    reach = np.ones(tree.n_nodes)
    for node in range(1, tree.n_nodes):  # parents come first in breadth-first order
        reach[node] = reach[tree.parent[node]] * taken[node]
    leaves = tree.terminals
    best = float(reach[leaves].max())
    path: set[int] = set()
    if best > 0:
        for leaf in leaves[reach[leaves] >= best - _TIE]:
            path.update(tree.history(int(leaf))[1:])
    moved = set(np.flatnonzero(taken > 0).tolist()) - {0}
    return path, {int(n) for n in moved} - path, best


def _incredible(result: TreeResult) -> set[int]:
    """Moves planned at the lapses of every Nash equilibrium that are worse for the mover than its best."""
    from negsim.solvers.backward import evaluate

    found: set[int] = set()
    if result.form is None or result.nash is None:
        return found
    atol = result.nash.tolerance
    for equilibrium, lapses in zip(result.nash.equilibria, result.lapses):
        if not lapses:
            continue
        values, _ = evaluate(result.tree, result.form.edge_weights(equilibrium.strategies), atol)
        for lapse in lapses:
            found.update(
                child for child, _ in lapse.planned if values[child, lapse.player] < lapse.best_value - atol
            )
    return found


def _subgame_perfect_moves(result: TreeResult) -> set[int]:
    """Every move some subgame-perfect equilibrium makes (at any node, on its play or not)."""
    if result.spe is None:
        return set()
    decision = np.flatnonzero(result.tree.kind == DECISION)
    return {int(child) for equilibrium in result.spe.equilibria for child in equilibrium.choice[decision]}


def _infosets(tree: GameTree, y: np.ndarray) -> tuple[tuple[int, ...], ...]:
    decision = np.flatnonzero(tree.kind == DECISION)
    sets: dict[int, list[int]] = {}
    for node in decision:
        sets.setdefault(int(tree.infoset[node]), []).append(int(node))
    return tuple(
        tuple(sorted(nodes, key=lambda n: float(y[n]))) for _, nodes in sorted(sets.items()) if len(nodes) > 1
    )


# -- drawing ------------------------------------------------------------------------------------

#: A white backing under move labels, so that lines passing behind them do not cross the words.
_BACKING = {"boxstyle": "square,pad=0.06", "facecolor": "white", "edgecolor": "none", "alpha": 0.85}

#: Inches of one text line at the move-label font size, and padding around a label.
_LINE = MOVE_FONT * 1.25 / 72
_PAD = 0.07


def _level_width(depth: int) -> float:
    """Inches between two columns of nodes: narrower for deep trees, so the chart stays printable."""
    return float(np.clip(11.0 / max(depth, 1), 1.45, 2.4))


def _edge_label(data: TreeData, node: int, width: int) -> str:
    """The text above the edge into ``node``: the move (wrapped, cut) and its probability."""
    text = data.moves[node]
    probability = float(data.probabilities[node])
    if not np.isnan(probability):
        text = f"{text} ({percent(probability)})" if text else percent(probability)
    lines = wrap(text, width).split("\n")
    if len(lines) > MAX_LABEL_LINES:
        lines = lines[:MAX_LABEL_LINES]
        lines[-1] = lines[-1][: max(1, width - 1)].rstrip() + "…"
    return "\n".join(lines)


def _row_height(data: TreeData, labels: dict[int, str]) -> float:
    """Inches per leaf row so that every move label fits between its edge and the next one above."""
    depth = int(data.x.max())
    has_parent = data.parent >= 0
    parent_x = data.x[np.maximum(data.parent, 0)]
    need = 0.26
    for span in range(depth):
        # straight runs through the labels' part of this column: the moves into the next column
        # and the moves into leaves that were reached earlier
        starting = has_parent & (parent_x == span)
        runs = np.flatnonzero(starting | (has_parent & (data.kind == TERMINAL) & (parent_x < span)))
        heights = np.sort(data.y[runs])
        for node in (int(n) for n in np.flatnonzero(starting)):
            if node not in labels:
                continue
            above = heights[heights < data.y[node]]
            gap = float(data.y[node] - above[-1]) if len(above) else 1.0
            lines = labels[node].count("\n") + 1 + (1 if node in data.incredible else 0)
            need = max(need, (lines * _LINE + _PAD) / gap)
    return need


def draw_tree(data: TreeData, *, ax: Axes | None = None) -> Axes:
    """Draw the game tree on ``ax`` (a new figure when None) and return the axes.

    Examples
    --------
    >>> from negsim.plotting.charts import ChartInput
    >>> from negsim.solvers.sequential import solve_tree
    >>> tree = GameTree.from_parents(["Entrant", "Incumbent"], parent=[-1, 0, 0, 2, 2],
    ...     kind=[1, 0, 1, 0, 0], player=[0, -1, 1, -1, -1],
    ...     moves=["", "Out", "In", "Fight", "Acquiesce"],
    ...     payoffs=[[0, 0], [0, 2], [0, 0], [-1, -1], [1, 1]], title="Entry deterrence")
    >>> ax = draw_tree(prepare(ChartInput.from_tree(solve_tree(tree))))
    >>> ax.get_title(loc="left")
    'Game tree: Entry deterrence'
    """
    depth = max(int(data.x.max()), 1)
    level = _level_width(depth)
    characters = max(8, int(((1 - FAN) * level - 0.2) / (0.55 * MOVE_FONT / 72)))
    labels = {
        node: _edge_label(data, node, characters)
        for node in range(len(data.parent))
        if data.parent[node] >= 0 and (data.moves[node] or not np.isnan(data.probabilities[node]))
    }
    row = _row_height(data, labels)
    handles = _legend_handles(data)
    n_rows = len(data.leaves)
    longest = max((len(label) for label in data.leaf_labels), default=0)
    payoff_width = max(1.0, longest * 0.55 * PAYOFF_FONT / 72 + 0.3)
    size = (
        0.6 + depth * level + payoff_width + 3.0,
        max(1.2 + (n_rows + 0.6) * row, side_height([str(h.get_label()) for h in handles], data.caption)),
    )
    ax = new_axes(ax, size=size, constrained=True)

    for node in range(len(data.parent)):
        if data.parent[node] >= 0:
            _draw_edge(ax, data, node)
    for rank, members in enumerate(data.infosets):
        _draw_infoset(ax, data, members, rank)
    _draw_nodes(ax, data)
    for node, text in labels.items():
        _label_edge(ax, data, node, text)

    ax.set_title(data.chart_title, loc="left")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_ylim(n_rows - 0.5, -0.6 - 1.6 * _LINE / row)
    ax.set_xlim(-0.15, depth + 0.2)
    legend_with_caption(ax, data.caption, handles=handles, handlelength=2.6)
    _write_payoffs(ax, data)
    return ax


def _edge_points(data: TreeData, node: int) -> tuple[list[float], list[float]]:
    parent = int(data.parent[node])
    xp, yp, xc, yc = data.x[parent], data.y[parent], data.x[node], data.y[node]
    return [xp, xp + FAN, xc], [yp, yc, yc]


def _draw_edge(ax: Axes, data: TreeData, node: int) -> None:
    xs, ys = _edge_points(data, node)
    line: dict[str, Any] = {"solid_joinstyle": "round", "solid_capstyle": "round"}
    ax.plot(xs, ys, color=EDGE_COLOUR, linewidth=1.1, zorder=1, **line)
    if node in data.path:
        ax.plot(xs, ys, color=EQUILIBRIUM_COLOUR, linewidth=4.2, zorder=2, **line)
    elif node in data.plan:
        ax.plot(xs, ys, color=EQUILIBRIUM_COLOUR, linewidth=2.0, alpha=0.6, zorder=2, **line)
    if node in data.incredible:
        parent = int(data.parent[node])
        end = data.x[parent] + 1 - 0.06
        ax.plot(
            [xs[0], xs[1], end], ys, color=INCREDIBLE_COLOUR, linewidth=1.6, linestyle=(0, (3, 2)), zorder=3
        )
        ax.plot(
            _label_centre(data, node),
            ys[1],
            marker="X",
            markersize=8,
            color=INCREDIBLE_COLOUR,
            markeredgecolor="white",
            markeredgewidth=0.6,
            zorder=3.5,
        )


def _draw_infoset(ax: Axes, data: TreeData, members: tuple[int, ...], rank: int) -> None:
    """A dotted arc bulging left through the nodes of one information set (further for each ``rank``)."""
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path

    for first, second in itertools.pairwise(members):
        (x0, y0), (x1, y1) = (data.x[first], data.y[first]), (data.x[second], data.y[second])
        bulge = min(0.4, 0.08 * abs(y1 - y0) + 0.1) + 0.06 * (rank % 3)
        control = (min(x0, x1) - bulge, (y0 + y1) / 2)
        path = Path([(x0, y0), control, (x1, y1)], [Path.MOVETO, Path.CURVE3, Path.CURVE3])
        ax.add_patch(
            PathPatch(path, fill=False, edgecolor="0.25", linewidth=1.6, linestyle=(0, (1, 2)), zorder=1.5)
        )


def _draw_nodes(ax: Axes, data: TreeData) -> None:
    from matplotlib.colors import to_rgb

    for player in range(len(data.players)):
        nodes = np.flatnonzero((data.kind == DECISION) & (data.mover == player))
        ax.plot(
            data.x[nodes],
            data.y[nodes],
            linestyle="none",
            marker="o",
            markersize=11,
            color=PLAYER_COLOURS[player % len(PLAYER_COLOURS)],
            markeredgecolor="white",
            markeredgewidth=1.2,
            zorder=4,
        )
    chance = np.flatnonzero(data.kind == CHANCE)
    ax.plot(
        data.x[chance],
        data.y[chance],
        linestyle="none",
        marker="D",
        markersize=9,
        color=CHANCE_COLOUR,
        markeredgecolor="white",
        zorder=4,
    )
    leaves = data.leaves
    ax.plot(data.x[leaves], data.y[leaves], linestyle="none", marker="s", markersize=5, color="0.3", zorder=4)
    for tag, members in zip(data.infoset_tags, data.infosets):
        for node in members:
            colour = PLAYER_COLOURS[int(data.mover[node]) % len(PLAYER_COLOURS)]
            ax.text(
                data.x[node],
                data.y[node],
                tag,
                ha="center",
                va="center_baseline",
                fontsize=6.5 if len(tag) < 2 else 5.5,
                fontweight="bold",
                color=ink_on(to_rgb(colour)),
                zorder=4.5,
            )


def _label_centre(data: TreeData, node: int) -> float:
    """x of the middle of the labelled straight run of the edge into ``node``."""
    return float(data.x[data.parent[node]] + FAN + (1 - FAN) / 2 - 0.03)


def _label_edge(ax: Axes, data: TreeData, node: int, text: str) -> None:
    centre = _label_centre(data, node)
    on_play = node in data.path
    lift = 3.0 if on_play else 1.5
    if node in data.incredible:
        lift += 3.0  # room for the cross on the line
        ax.annotate(
            "not credible",
            (centre, data.y[node]),
            xytext=(0, lift),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=NOTE_FONT,
            fontstyle="italic",
            color=INCREDIBLE_COLOUR,
            zorder=5,
        )
        lift += NOTE_FONT * 1.2
    ax.annotate(
        text,
        (centre, data.y[node]),
        xytext=(0, lift),
        textcoords="offset points",
        ha="center",
        va="bottom",
        fontsize=MOVE_FONT,
        linespacing=1.0,
        color="0.1" if on_play else "0.25",
        fontweight="bold" if on_play else "normal",
        bbox=_BACKING,
        zorder=5,
    )


def _write_payoffs(ax: Axes, data: TreeData) -> None:
    """Write the payoffs right of the leaves, then widen the x range so they fit inside the axes."""
    from matplotlib.backends.backend_agg import RendererAgg

    depth = float(data.x.max())
    texts = []
    for leaf in data.leaves:
        on_play = int(leaf) in data.path
        texts.append(
            ax.annotate(
                data.leaf_labels[leaf],
                (depth, data.y[leaf]),
                xytext=(7, 0),
                textcoords="offset points",
                ha="left",
                va="center",
                fontsize=PAYOFF_FONT,
                color=EQUILIBRIUM_COLOUR if on_play else "0.15",
                fontweight="bold" if on_play else "normal",
                zorder=5,
            )
        )
    heading = ax.annotate(
        wrap(data.payoff_heading, 40),
        (depth, data.y[data.leaves[0]]),
        xytext=(7, 8),
        textcoords="offset points",
        ha="left",
        va="bottom",
        fontsize=PAYOFF_FONT,
        color="0.35",
        fontstyle="italic",
    )
    texts.append(heading)
    for text in texts:
        text.set_in_layout(False)
    figure = cast("Figure", ax.figure.figure)
    engine = figure.get_layout_engine()
    if engine is not None:
        engine.execute(figure)
    renderer = RendererAgg(int(figure.bbox.width), int(figure.bbox.height), figure.dpi)
    box = ax.get_window_extent(renderer)
    right = max(text.get_window_extent(renderer).x1 for text in texts) - box.x0
    low, high = ax.get_xlim()
    # a text keeps its width in pixels: find the x range that puts its right end at the axes' edge
    anchor = (depth - low) / (high - low) * box.width
    width = right - anchor + 4
    if width > 0 and box.width > width:
        ax.set_xlim(low, low + (depth - low) * box.width / (box.width - width))


def _legend_handles(data: TreeData) -> list[Any]:
    from matplotlib.lines import Line2D

    handles: list[Any] = []
    for player, name in enumerate(data.players):
        if np.any((data.kind == DECISION) & (data.mover == player)):
            handles.append(
                Line2D(
                    [],
                    [],
                    linestyle="none",
                    marker="o",
                    markersize=10,
                    color=PLAYER_COLOURS[player % len(PLAYER_COLOURS)],
                    label=wrap(f"{name} moves", 26),
                )
            )
    if data.has_chance:
        handles.append(
            Line2D([], [], linestyle="none", marker="D", markersize=8, color=CHANCE_COLOUR, label="chance")
        )
    if data.path:
        handles.append(Line2D([], [], color=EQUILIBRIUM_COLOUR, linewidth=4.2, label=data.path_label()))
    if data.plan:
        handles.append(
            Line2D([], [], color=EQUILIBRIUM_COLOUR, linewidth=2.0, alpha=0.6, label=data.plan_label())
        )
    if data.incredible:
        handles.append(
            Line2D(
                [],
                [],
                color=INCREDIBLE_COLOUR,
                linewidth=1.6,
                linestyle=(0, (3, 2)),
                marker="X",
                markersize=7,
                markeredgecolor="white",
                label="not credible",
            )
        )
    if data.infosets:
        handles.append(
            Line2D(
                [],
                [],
                color="0.25",
                linewidth=1.6,
                linestyle=(0, (1, 2)),
                label="cannot tell apart\n(same letter)",
            )
        )
    return handles


def figure(chart_input: ChartInput) -> Figure:
    """The finished game-tree chart.

    Examples
    --------
    >>> from negsim.plotting.charts import ChartInput
    >>> from negsim.solvers.sequential import solve_tree
    >>> tree = GameTree.from_parents(["Entrant", "Incumbent"], parent=[-1, 0, 0, 2, 2],
    ...     kind=[1, 0, 1, 0, 0], player=[0, -1, 1, -1, -1],
    ...     moves=["", "Out", "In", "Fight", "Acquiesce"],
    ...     payoffs=[[0, 0], [0, 2], [0, 0], [-1, -1], [1, 1]])
    >>> fig = figure(ChartInput.from_tree(solve_tree(tree)))
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    ['Entrant moves', 'Incumbent moves', 'subgame-perfect play', 'not credible']
    """
    return styled_figure(draw_tree, prepare(chart_input))
