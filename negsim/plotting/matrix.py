"""The payoff matrix of a two-party game: welfare shading, equilibria outlined, best responses marked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from negsim.plotting.common import ink_on, payoff_unit, require, styled_figure, titled
from negsim.plotting.style import EQUILIBRIUM_COLOUR, new_axes, wrap
from negsim.report.words import number, possessive

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from negsim.plotting.charts import ChartInput

#: Most strategies of one party the matrix shows; beyond this the cells are too small to read.
MAX_STRATEGIES = 10

#: Colour map of the welfare shading: sequential and readable with colour-vision deficiencies.
COLOUR_MAP = "cividis"


@dataclass(frozen=True, eq=False)
class MatrixData:
    """Everything the payoff-matrix chart shows.

    Attributes
    ----------
    title
        The game's title.
    players
        The row player's and the column player's names.
    row_labels, column_labels
        Strategy labels of the row and the column player, as the analyst wrote them.
    row_payoffs, column_payoffs
        Payoff matrices of the two players (rows = row player's strategies).
    welfare
        Sum of both payoffs in each cell.
    equilibrium_cells
        Cells ``(row, column)`` that are pure equilibria among the verified equilibria.
    row_best
        True where the row strategy is a best response of the row player to that column.
    column_best
        True where the column strategy is a best response of the column player to that row.
    unit
        The unit payoffs are measured in, when the scenario's parameters share one; else None.
    """

    title: str
    players: tuple[str, str]
    row_labels: tuple[str, ...]
    column_labels: tuple[str, ...]
    row_payoffs: np.ndarray
    column_payoffs: np.ndarray
    welfare: np.ndarray
    equilibrium_cells: frozenset[tuple[int, int]]
    row_best: np.ndarray
    column_best: np.ndarray
    unit: str | None


def applies(chart_input: ChartInput) -> str | None:
    """None when the payoff matrix can be drawn, otherwise why not.

    Examples
    --------
    >>> import negsim
    >>> from negsim.plotting.charts import ChartInput
    >>> print(applies(ChartInput.from_scenario(negsim.load("scenarios/neutrality_for_guarantees.yaml"))))
    None
    >>> print(applies(ChartInput.from_scenario(negsim.load("scenarios/four_party_package.yaml"))))
    a payoff matrix needs exactly two players; this game has 4
    """
    game = chart_input.solved.game
    if game.n_players != 2:
        return f"a payoff matrix needs exactly two players; this game has {game.n_players}"
    if max(game.shape) > MAX_STRATEGIES:
        return (
            f"a payoff matrix is readable for at most {MAX_STRATEGIES} strategies per party; "
            f"this game is {game.shape[0]}x{game.shape[1]}"
        )
    return None


def prepare(chart_input: ChartInput) -> MatrixData:
    """The matrix's numbers: payoffs, welfare, pure equilibria and best responses.

    Best responses are found from the payoffs with the solver's tolerance, so every pure
    equilibrium cell is a best response for both parties.

    Examples
    --------
    >>> import negsim
    >>> from negsim.plotting.charts import ChartInput
    >>> data = prepare(ChartInput.from_scenario(negsim.load("scenarios/neutrality_for_guarantees.yaml")))
    >>> data.welfare.tolist(), sorted(data.equilibrium_cells), data.unit
    ([[9.0, 2.0], [1.0, 0.0]], [(0, 0), (1, 1)], 'utils')
    >>> data.row_best.tolist(), data.column_best.tolist()
    ([[True, False], [False, True]], [[True, False], [False, True]])
    """
    require(applies(chart_input), "matrix")
    result = chart_input.solved
    game = result.game
    row_payoffs, column_payoffs = (np.array(m, dtype=np.float64) for m in game.matrices())
    tolerance = result.tolerance
    row_best = row_payoffs >= row_payoffs.max(axis=0, keepdims=True) - tolerance
    column_best = column_payoffs >= column_payoffs.max(axis=1, keepdims=True) - tolerance
    cells = frozenset(
        (int(np.argmax(e.strategies[0])), int(np.argmax(e.strategies[1])))
        for e in result.equilibria
        if e.is_pure
    )
    arrays = [row_payoffs, column_payoffs, row_payoffs + column_payoffs, row_best, column_best]
    for array in arrays:
        array.setflags(write=False)
    return MatrixData(
        title=game.title,
        players=(game.players[0], game.players[1]),
        row_labels=game.strategies[0],
        column_labels=game.strategies[1],
        row_payoffs=arrays[0],
        column_payoffs=arrays[1],
        welfare=arrays[2],
        equilibrium_cells=cells,
        row_best=arrays[3],
        column_best=arrays[4],
        unit=payoff_unit(chart_input.scenario),
    )


def draw_matrix(data: MatrixData, *, ax: Axes | None = None) -> Axes:
    """Draw the payoff matrix on ``ax`` (a new figure when None) and return the axes.

    Each cell shows the row player's payoff, then the column player's; a triangle under a
    payoff marks the row player's best response to that column, a dot the column player's
    best response to that row. Cells are shaded by the sum of the two payoffs.

    Examples
    --------
    >>> import negsim
    >>> from negsim.plotting.charts import ChartInput
    >>> data = prepare(ChartInput.from_scenario(negsim.load("scenarios/neutrality_for_guarantees.yaml")))
    >>> ax = draw_matrix(data)
    >>> ax.get_title(), ax.get_xlabel(), ax.get_ylabel()
    ('Payoff matrix: Neutrality for guarantees', 'Russia plays', 'Ukraine plays')
    """
    import matplotlib
    from matplotlib.colors import Normalize
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    n_rows, n_columns = data.welfare.shape
    size = max(n_rows, n_columns)
    cell = max(0.95, 1.6 - 0.08 * size)  # inches per cell
    ax = new_axes(ax, size=(max(7.0, 3.4 + cell * n_columns), max(4.6, 2.6 + cell * n_rows)))
    font = max(8.0, min(14.0, 17.0 - size))
    tick_font = max(8.0, min(11.0, 14.0 - 0.6 * size))
    row_player, column_player = data.players
    row_whose, column_whose = possessive(row_player), possessive(column_player)

    colour_map = matplotlib.colormaps[COLOUR_MAP]
    low, high = float(data.welfare.min()), float(data.welfare.max())
    norm = Normalize(low, high) if high > low else Normalize(low - 1.0, high + 1.0)
    image = ax.imshow(data.welfare, cmap=colour_map, norm=norm, aspect="auto")
    label = "total payoff (sum of both parties)" + (f", {data.unit}" if data.unit else "")
    colour_bar = ax.figure.colorbar(image, ax=ax, fraction=0.06, pad=0.03)
    colour_bar.set_label(label)
    colour_bar.outline.set_visible(False)
    if high == low:
        colour_bar.set_ticks([low], labels=[number(low)])

    offset = 0.22  # horizontal distance of each payoff from the cell's centre
    for (i, j), welfare in np.ndenumerate(data.welfare):
        ink = ink_on(colour_map(norm(welfare)))
        marks = (
            (-offset, data.row_payoffs[i, j], data.row_best[i, j], "^"),
            (offset, data.column_payoffs[i, j], data.column_best[i, j], "o"),
        )
        for shift, payoff, best, marker in marks:
            weight = "bold" if best else "normal"
            ax.text(
                j + shift,
                i - 0.04,
                number(payoff),
                ha="center",
                va="center",
                color=ink,
                fontsize=font,
                fontweight=weight,
            )
            if best:
                ax.plot(
                    j + shift, i + 0.26, marker=marker, color=ink, markersize=0.55 * font, linestyle="none"
                )
        ax.text(j, i - 0.04, ",", ha="center", va="center", color=ink, fontsize=font)
    for i, j in sorted(data.equilibrium_cells):
        ax.add_patch(
            Rectangle(
                (j - 0.46, i - 0.46),
                0.92,
                0.92,
                fill=False,
                edgecolor=EQUILIBRIUM_COLOUR,
                linewidth=min(5.0, 0.35 * font),
                zorder=3,
            )
        )

    column_wrap = max(8, min(18, int(cell / 0.085)))
    ax.set_xticks(range(n_columns), [wrap(s, column_wrap) for s in data.column_labels], fontsize=tick_font)
    ax.set_yticks(range(n_rows), [wrap(s) for s in data.row_labels], fontsize=tick_font)
    ax.xaxis.tick_top()
    ax.xaxis.set_label_position("top")
    ax.set_xlabel(f"{column_player} plays")
    ax.set_ylabel(f"{row_player} plays")
    ax.set_xticks(np.arange(n_columns + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(n_rows + 1) - 0.5, minor=True)
    ax.grid(False)
    ax.grid(which="minor", color="white", linewidth=3, alpha=1.0)
    ax.tick_params(which="both", length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_title(titled("Payoff matrix", data.title))

    handles = [
        Rectangle(
            (0, 0), 1, 1, fill=False, edgecolor=EQUILIBRIUM_COLOUR, linewidth=3, label="pure equilibrium"
        ),
        Line2D([], [], marker="^", color="0.2", linestyle="none", label=f"{row_whose} best response"),
        Line2D([], [], marker="o", color="0.2", linestyle="none", label=f"{column_whose} best response"),
    ]
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.03),
        ncol=3 if n_columns > 2 else 1,
        title=f"each cell: {row_whose} payoff , {column_whose} payoff",
        title_fontsize=tick_font,
    )
    return ax


def figure(chart_input: ChartInput) -> Figure:
    """The finished payoff-matrix figure in the house style.

    Examples
    --------
    >>> import negsim
    >>> from negsim.plotting.charts import ChartInput
    >>> fig = figure(ChartInput.from_scenario(negsim.load("scenarios/guarantee_strength.yaml")))
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    ['pure equilibrium', "Guarantors' best response", "Russia's best response"]
    """
    return styled_figure(draw_matrix, prepare(chart_input))
