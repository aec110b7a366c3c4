"""The scenario loader on valid input: the bundled scenario, options, fixes, tables, arrays, overrides.

Expected payoffs are worked out by hand from the terms written in the YAML, not read back from
the code under test.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

import negsim
from negsim.errors import DegenerateGameWarning, ScenarioError, ScenarioWarning, UsageError
from negsim.scenario import Scenario, check, load, loads

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "scenarios" / "neutrality_for_guarantees.yaml"

# strategy indices of the bundled scenario, in file order
RENOUNCE, KEEP = 0, 1
PLEDGE, NO_PLEDGE = 0, 1
UKRAINE, RUSSIA = 0, 1

OPTIONS = """\
negsim: 1
title: Options and fixes
parameters:
  x: {value: 1, about: a scale, range: [0, 5]}
players:
  ua:
    name: Ukraine
    options:
      renounce: {label: renounce}
      ceasefire: {label: ceasefire}
      mobilise: {label: mobilise}
    exclusive: [[ceasefire, mobilise]]
    infeasible: [ua.renounce and ua.mobilise]
  ru:
    name: Russia
    strategies: [pledge, refuse, escalate]
payoffs:
  terms:
    - {to: all, when: ua.renounce and ru.pledge, value: 2 * x}
    - {to: [ua], when: ua.ceasefire, value: -1}
    - {to: ru, when: ru.escalate and not ua.mobilise, value: 3}
outcomes:
  deal: ua.renounce and ru.pledge
  war: {when: ru.escalate}
variants:
  forced:
    fix: {ua.renounce: true, ru: pledge}
  no renouncing:
    fix: {ua.renounce: false}
    set: {x: 2}
"""

TABLE = """\
negsim: 1
title: A table
parameters:
  bonus: {value: 1.5, about: a bonus, range: [0, 3]}
players:
  row: {name: Row, strategies: [up, down]}
  col: {name: Col, strategies: [left, right]}
payoffs:
  table:
    - {profile: {row: up, col: left}, payoffs: {row: 3, col: "2 * bonus"}}
    - {profile: {row: down, col: right}, payoffs: {row: 0, col: 0}}
    - {profile: {row: up, col: right}, payoffs: {row: -1, col: 4}}
    - {profile: {row: down, col: left}, payoffs: {row: bonus, col: 1}}
outcomes:
  top: row.up
variants:
  right only: {fix: {col: right}}
"""

ONE_PARAMETER = """\
negsim: 1
title: One parameter
parameters:
  x: {value: 2, about: the parameter, range: [0, 10]}
players:
  a: {name: A, strategies: [yes_, no_]}
  b: {name: B, strategies: [yes_, no_]}
payoffs:
  terms:
    - {to: a, when: a.yes_ and b.yes_, value: "x ** 2 - 1"}
    - {to: b, when: a.yes_, value: "max(0, 3 - x)"}
    - {to: all, when: b.no_, value: "1 if x > 2 else -1"}
    - {to: b, value: "log(x) / 2"}
"""


@pytest.fixture(scope="module")
def bundled() -> Scenario:
    return load(BUNDLED)


def terms_by_hand(v: dict[str, float]) -> np.ndarray:
    """The bundled scenario's payoffs, term by term as written in its YAML."""
    payoffs = np.zeros((2, 2, 2))
    for u in (RENOUNCE, KEEP):
        for r in (PLEDGE, NO_PLEDGE):
            renounce, pledge = u == RENOUNCE, r == PLEDGE
            ukraine = 0.0
            russia = 0.0
            if renounce:
                ukraine += v["guarantee_value"] - v["nato_value"]
                russia += v["neutrality_value"]
            if pledge:
                ukraine += v["security_gain"]
                russia -= v["pledge_cost"]
            if renounce and not pledge:
                ukraine -= v["exposure"]
            if renounce and pledge:
                russia += v["settlement_bonus"]
            payoffs[u, r] = ukraine, russia
    return payoffs


# -- the bundled scenario ---------------------------------------------------------------------------


def test_bundled_scenario_loads(bundled: Scenario) -> None:
    assert isinstance(bundled, Scenario)
    assert bundled.title == "Neutrality for guarantees"
    assert bundled.players == ("ukraine", "russia")
    assert list(bundled.parameters) == [
        "nato_value",
        "guarantee_value",
        "security_gain",
        "exposure",
        "neutrality_value",
        "pledge_cost",
        "settlement_bonus",
    ]
    assert set(bundled.variants) == {"no guarantee", "strong guarantee", "costly pledge"}
    assert "ru-nonaggression-pledge" in bundled.claims
    assert bundled.claims.claims["ru-nonaggression-pledge"].verification == "unverified"
    assert repr(bundled) == "<Scenario 'Neutrality for guarantees' from neutrality_for_guarantees.yaml>"


def test_bundled_scenario_has_no_warnings() -> None:
    _, notes = check(BUNDLED)
    assert notes == []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load(BUNDLED)


def test_bundled_game_cells_by_hand(bundled: Scenario) -> None:
    game = bundled.game()
    assert game.shape == (2, 2)
    assert game.players == ("Ukraine", "Russia")
    assert game.strategies == (("renounce NATO bid", "keep NATO bid"), ("binding pledge", "no pledge"))
    p = game.payoffs
    # renounce + pledge: Ukraine (4 - 3) + 2 = 3; Russia 4 - 1 + 3 = 6
    assert p[RENOUNCE, PLEDGE].tolist() == [3.0, 6.0]
    # renounce + no pledge: Ukraine (4 - 3) - 3 = -2; Russia 4
    assert p[RENOUNCE, NO_PLEDGE].tolist() == [-2.0, 4.0]
    # keep + pledge: Ukraine 2; Russia -1
    assert p[KEEP, PLEDGE].tolist() == [2.0, -1.0]
    # keep + no pledge: nothing applies
    assert p[KEEP, NO_PLEDGE].tolist() == [0.0, 0.0]
    np.testing.assert_array_equal(p, terms_by_hand(bundled.parameter_values()))


def test_bundled_outcome_masks(bundled: Scenario) -> None:
    masks = bundled.outcome_masks()
    assert list(masks) == ["settlement", "exposed neutrality", "unanswered pledge", "continued confrontation"]
    assert masks["settlement"].tolist() == [[True, False], [False, False]]
    assert masks["exposed neutrality"].tolist() == [[False, True], [False, False]]
    assert masks["unanswered pledge"].tolist() == [[False, False], [True, False]]
    assert masks["continued confrontation"].tolist() == [[False, False], [False, True]]
    # the four outcomes partition the profiles
    assert sum(m.astype(int) for m in masks.values()).tolist() == [[1, 1], [1, 1]]
    assert set(bundled.game().outcomes) == set(masks)


def test_with_params_changes_a_copy(bundled: Scenario) -> None:
    changed = bundled.with_params(guarantee_value=8, pledge_cost=2.5)
    assert changed is not bundled
    assert bundled.parameter_values()["guarantee_value"] == 4.0
    values = changed.parameter_values()
    assert values["guarantee_value"] == 8.0 and values["pledge_cost"] == 2.5
    p = changed.game().payoffs
    # renounce + pledge: Ukraine (8 - 3) + 2 = 7; Russia 4 - 2.5 + 3 = 4.5
    assert p[RENOUNCE, PLEDGE].tolist() == [7.0, 4.5]
    assert p[KEEP, PLEDGE].tolist() == [2.0, -2.5]
    np.testing.assert_array_equal(p, terms_by_hand(values))
    # overrides accumulate
    again = changed.with_params(exposure=0)
    assert again.parameter_values()["guarantee_value"] == 8.0
    assert again.game().payoffs[RENOUNCE, NO_PLEDGE, UKRAINE] == 5.0


def test_variant_applies_its_values(bundled: Scenario) -> None:
    none = bundled.variant("no guarantee")
    assert none.variant_name == "no guarantee"
    assert none.parameter_values()["guarantee_value"] == 0.0
    p = none.game().payoffs
    # renounce + pledge: Ukraine (0 - 3) + 2 = -1
    assert p[RENOUNCE, PLEDGE, UKRAINE] == -1.0
    assert p[RENOUNCE, NO_PLEDGE, UKRAINE] == -6.0
    assert none.game().title == "Neutrality for guarantees (no guarantee)"
    # overrides win over the variant
    assert none.with_params(guarantee_value=5).parameter_values()["guarantee_value"] == 5.0
    costly = bundled.variant("costly pledge")
    assert costly.game().payoffs[KEEP, PLEDGE, RUSSIA] == -4.0


def test_bundled_solves_to_three_equilibria(bundled: Scenario) -> None:
    result = bundled.solve()
    assert result.complete
    pure = {
        (tuple(e.strategies[UKRAINE].tolist()), tuple(e.strategies[RUSSIA].tolist())): e.payoffs.tolist()
        for e in result.equilibria
        if e.is_pure
    }
    assert pure == {
        ((1.0, 0.0), (1.0, 0.0)): [3.0, 6.0],  # renounce, pledge
        ((0.0, 1.0), (0.0, 1.0)): [0.0, 0.0],  # keep, no pledge
    }
    mixed = [e for e in result.equilibria if not e.is_pure]
    assert len(result.equilibria) == 3 and len(mixed) == 1
    np.testing.assert_allclose(mixed[0].strategies[UKRAINE], [1 / 3, 2 / 3])
    np.testing.assert_allclose(mixed[0].strategies[RUSSIA], [2 / 3, 1 / 3])
    np.testing.assert_allclose(mixed[0].payoffs, [4 / 3, 4 / 3])


# -- with_params and variant errors -----------------------------------------------------------------


def test_with_params_unknown_name_suggests(bundled: Scenario) -> None:
    with pytest.raises(
        UsageError, match=r"unknown parameter 'guarante_value'; did you mean 'guarantee_value'\?"
    ):
        bundled.with_params(guarante_value=1)
    with pytest.raises(ValueError):
        bundled.with_params(nothing_like_it=1)


@pytest.mark.parametrize("value", [float("inf"), float("nan"), "lots", None])
def test_with_params_needs_a_finite_number(bundled: Scenario, value: object) -> None:
    with pytest.raises(UsageError, match="guarantee_value"):
        bundled.with_params(guarantee_value=value)  # type: ignore[arg-type]


def test_with_params_out_of_range_warns(bundled: Scenario) -> None:
    with pytest.warns(
        ScenarioWarning, match=r"guarantee_value = 11 lies outside its plausible range \[0, 10\]"
    ):
        changed = bundled.with_params(guarantee_value=11)
    assert changed.parameter_values()["guarantee_value"] == 11.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bundled.with_params(guarantee_value=10)  # the ends of the range are inside it


def test_unknown_variant_suggests(bundled: Scenario) -> None:
    with pytest.raises(UsageError, match=r"unknown variant 'no guarantees'; did you mean 'no guarantee'\?"):
        bundled.variant("no guarantees")


def test_unknown_variant_when_there_are_none() -> None:
    scenario = loads(ONE_PARAMETER, "one.yaml")
    with pytest.raises(UsageError, match="defines no variants"):
        scenario.variant("anything")


# -- options players --------------------------------------------------------------------------------


def test_options_strategy_combinations() -> None:
    scenario = loads(OPTIONS, "options.yaml")
    ua, ru = scenario.compiled.players
    # every option taken first; 'exclusive' drops ceasefire+mobilise, 'infeasible' renounce+mobilise
    assert ua.strategy_keys == ("renounce+ceasefire", "renounce", "ceasefire", "mobilise", "none")
    assert ua.strategy_labels == (
        "renounce + ceasefire",
        "renounce",
        "ceasefire",
        "mobilise",
        "no renounce, no ceasefire, no mobilise",
    )
    assert ua.option_keys == ("renounce", "ceasefire", "mobilise")
    assert ua.option_values.tolist() == [
        [True, True, False],
        [True, False, False],
        [False, True, False],
        [False, False, True],
        [False, False, False],
    ]
    assert ru.strategy_keys == ("pledge", "refuse", "escalate")
    assert not ru.uses_options
    assert scenario.game().shape == (5, 3)


def test_options_payoffs_by_hand() -> None:
    scenario = loads(OPTIONS, "options.yaml")
    p = scenario.game().payoffs
    # renounce+ceasefire vs pledge: both get 2x = 2; Ukraine also -1 for the ceasefire
    assert p[0, 0].tolist() == [1.0, 2.0]
    # renounce vs escalate: Russia escalates and Ukraine does not mobilise: 3
    assert p[1, 2].tolist() == [0.0, 3.0]
    # mobilise vs escalate: no term applies
    assert p[3, 2].tolist() == [0.0, 0.0]
    # ceasefire vs refuse: Ukraine -1
    assert p[2, 1].tolist() == [-1.0, 0.0]
    masks = scenario.outcome_masks()
    assert masks["deal"][:, 0].tolist() == [True, True, False, False, False]
    assert masks["war"].tolist() == [[False, False, True]] * 5


def test_fix_variant_restricts_strategies() -> None:
    scenario = loads(OPTIONS, "options.yaml")
    forced = scenario.variant("forced")
    keep = forced.strategy_indices()
    assert keep[0].tolist() == [0, 1] and keep[1].tolist() == [0]
    game = forced.game()
    assert game.shape == (2, 1)
    assert game.strategies == (("renounce + ceasefire", "renounce"), ("pledge",))
    assert game.payoffs[:, 0].tolist() == [[1.0, 2.0], [2.0, 2.0]]
    assert forced.outcome_masks()["deal"].tolist() == [[True], [True]]
    no = scenario.variant("no renouncing")
    assert no.strategy_indices()[0].tolist() == [2, 3, 4]
    assert no.parameter_values()["x"] == 2.0
    assert no.game().strategies[0] == ("ceasefire", "mobilise", "no renounce, no ceasefire, no mobilise")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        assert no.solve().equilibria


def test_fix_on_a_table_keeps_the_right_cells() -> None:
    scenario = loads(TABLE, "table.yaml").variant("right only")
    game = scenario.game()
    assert game.shape == (2, 1)
    assert game.payoffs[:, 0].tolist() == [[-1.0, 4.0], [0.0, 0.0]]


def test_a_single_option_has_an_off_label() -> None:
    text = OPTIONS.replace(
        """    options:
      renounce: {label: renounce}
      ceasefire: {label: ceasefire}
      mobilise: {label: mobilise}
    exclusive: [[ceasefire, mobilise]]
    infeasible: [ua.renounce and ua.mobilise]
""",
        """    options:
      renounce: {label: renounce, yes: renounces, no: keeps the bid}
      ceasefire: {label: ceasefire}
      mobilise: {label: mobilise}
""",
    )
    scenario = loads(text, "options.yaml")
    assert len(scenario.compiled.players[0].strategy_keys) == 8


# -- tables -----------------------------------------------------------------------------------------


def test_table_payoffs() -> None:
    scenario = loads(TABLE, "table.yaml")
    p = scenario.game().payoffs
    assert p[0, 0].tolist() == [3.0, 3.0]  # col: 2 * bonus
    assert p[0, 1].tolist() == [-1.0, 4.0]
    assert p[1, 0].tolist() == [1.5, 1.0]  # row: bonus
    assert p[1, 1].tolist() == [0.0, 0.0]
    assert scenario.with_params(bonus=2).game().payoffs[1, 0, 0] == 2.0
    assert scenario.outcome_masks()["top"].tolist() == [[True, True], [False, False]]


def test_table_with_arrays() -> None:
    scenario = loads(TABLE, "table.yaml")
    tensor = scenario.payoff_tensor({"bonus": np.array([0.0, 1.0, 2.0])})
    assert tensor.shape == (3, 2, 2, 2)
    assert tensor[:, 0, 0, 1].tolist() == [0.0, 2.0, 4.0]
    assert tensor[:, 1, 0, 0].tolist() == [0.0, 1.0, 2.0]
    assert tensor[:, 0, 1].tolist() == [[-1.0, 4.0]] * 3


# -- numpy arrays -----------------------------------------------------------------------------------


def test_payoff_tensor_has_the_batch_dimension_first() -> None:
    scenario = loads(ONE_PARAMETER, "one.yaml")
    xs = np.array([0.5, 1.0, 2.0, 3.0, 7.5])
    tensor = scenario.payoff_tensor({"x": xs})
    assert tensor.shape == (5, 2, 2, 2)
    for i, x in enumerate(xs):
        single = scenario.with_params(x=float(x)).payoff_tensor()
        np.testing.assert_allclose(tensor[i], single, rtol=0, atol=1e-12)
        # by hand: a gets x**2 - 1 when both say yes, and +-1 when b says no
        both = x**2 - 1
        bonus = 1.0 if x > 2 else -1.0
        assert tensor[i, 0, 0, 0] == pytest.approx(both)
        assert tensor[i, 1, 1, 0] == pytest.approx(bonus)
        assert tensor[i, 0, 1, 1] == pytest.approx(max(0.0, 3 - x) + bonus + np.log(x) / 2)


def test_payoff_tensor_two_dimensional_batch(bundled: Scenario) -> None:
    values = dict(bundled.parameter_values())
    grid = np.array([[0.0, 4.0, 8.0], [1.0, 2.0, 3.0]])
    values["guarantee_value"] = grid  # type: ignore[assignment]
    tensor = bundled.payoff_tensor(values)
    assert tensor.shape == (2, 3, 2, 2, 2)
    expected = (grid - 3) + 2  # renounce + pledge, Ukraine
    np.testing.assert_array_equal(tensor[..., RENOUNCE, PLEDGE, UKRAINE], expected)
    np.testing.assert_array_equal(tensor[..., KEEP, NO_PLEDGE, :], 0.0)


def test_payoff_tensor_default_is_the_current_values(bundled: Scenario) -> None:
    np.testing.assert_array_equal(bundled.payoff_tensor(), bundled.game().payoffs)


# -- warnings and odd but valid input ---------------------------------------------------------------


def test_unused_parameter_and_unreachable_outcome_are_warnings(tmp_path: Path) -> None:
    text = (
        ONE_PARAMETER.replace("players:", "  spare: {value: 1, about: not used}\nplayers:")
        + "outcomes:\n  never: a.yes_ and a.no_\n"
    )
    path = tmp_path / "warn.yaml"
    path.write_text(text, encoding="utf-8")
    scenario, notes = check(path)
    assert [n.severity for n in notes] == ["warning", "warning"]
    assert "parameter 'spare' is not used" in str(notes[0]) and notes[0].line == 5
    assert "outcome 'never' matches no strategy profile" in str(notes[1])
    with pytest.warns(ScenarioWarning) as record:
        load(path)
    assert [str(w.message) for w in record] == [str(n) for n in notes]
    assert scenario.outcome_masks()["never"].sum() == 0


def test_strategies_as_a_mapping_with_labels_and_to_a_list() -> None:
    text = """\
negsim: 1
title: Labels
players:
  a:
    name: A
    strategies:
      hold: {label: hold firm, does: holds firm}
      give: {label: concede}
  b: {name: B, strategies: [hold, give]}
payoffs:
  terms:
    - {to: [a, b], when: a.give and b.give, value: 2}
    - {to: all, when: "a.hold or b.hold", value: -1}
"""
    scenario = loads(text, "labels.yaml")
    game = scenario.game()
    assert game.strategies[0] == ("hold firm", "concede")
    assert scenario.compiled.players[0].phrases == ("holds firm", "plays concede")
    assert game.payoffs[1, 1].tolist() == [2.0, 2.0]
    assert game.payoffs[0, 1].tolist() == [-1.0, -1.0]


def test_negsim_loads_and_top_level_names() -> None:
    scenario = negsim.loads(ONE_PARAMETER, "one.yaml")
    assert isinstance(scenario, negsim.Scenario)
    assert scenario.path == "one.yaml"
    with pytest.raises(negsim.ScenarioError):
        negsim.loads("negsim: 1\n", "broken.yaml")


def test_loads_reports_the_given_filename() -> None:
    with pytest.raises(ScenarioError) as caught:
        loads("negsim: 1\ntitle: T\n", "inline.yaml")
    assert all(p.file == "inline.yaml" for p in caught.value.problems)
    assert "inline.yaml:1:1: error: 'players' is required here" in str(caught.value)


# -- positions reported for fixed bugs --------------------------------------------------------------


def _problem(text: str) -> str:
    with pytest.raises(ScenarioError) as caught:
        loads(text, "x.yaml")
    return str(caught.value)


def test_column_inside_a_quoted_expression_skips_the_quote() -> None:
    """Quoted values were reported one column too early (quotes were not recorded)."""
    text = ONE_PARAMETER.replace('value: "x ** 2 - 1"', 'value: "x ** 2 - y"')
    # line 10 is '    - {to: a, when: a.yes_ and b.yes_, value: "x ** 2 - y"}': the quote is column 47
    assert "x.yaml:10:57: error: unknown parameter 'y'" in _problem(text)


def test_unknown_option_column_is_the_option_name() -> None:
    """The column pointed at the player key instead of the misspelt option after the dot."""
    text = OPTIONS.replace("when: ru.escalate and not", "when: ru.escalat and not")
    # line 21 is '    - {to: ru, when: ru.escalat and not ua.mobilise, value: 3}'
    assert "x.yaml:21:25: error: 'escalat' is not an option or strategy of ru" in _problem(text)


def test_column_after_non_ascii_text_counts_characters() -> None:
    """The parser reports byte offsets; columns after non-ASCII characters must count characters."""
    text = ONE_PARAMETER.replace('value: "log(x) / 2"', 'value: "log(x) / 2 + naïve - y"')
    message = _problem(text)
    # '    - {to: b, value: "log(x) / 2 + naïve - y"}': the text starts at column 23
    assert "x.yaml:13:36: error: unknown parameter 'naïve'" in message
    assert "x.yaml:13:44: error: unknown parameter 'y'" in message


def test_document_that_is_not_a_mapping_points_at_its_start() -> None:
    """The root node had no position, so messages about it pointed at line 1 (often a comment)."""
    assert "x.yaml:3:1: error: a scenario file must be a mapping" in _problem("# a comment\n\n- a\n- b\n")
    assert "x.yaml:2:1: error: 'title' is required here" in _problem("# a comment\nnegsim: 1\n")


def test_infeasible_rules_that_leave_nothing_point_at_the_rules() -> None:
    """The error pointed at the start of the player instead of its 'infeasible' rules."""
    text = OPTIONS.replace(
        "infeasible: [ua.renounce and ua.mobilise]", "infeasible: [ua.renounce, not ua.renounce]"
    )
    assert "x.yaml:13:5: error: Ukraine has no feasible combination of options" in _problem(text)


def test_non_utf8_file_reports_line_and_column(tmp_path: Path) -> None:
    """A file that is not UTF-8 was reported without a line."""
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"negsim: 1\n\ntitle: caf\xe9\n")
    with pytest.raises(ScenarioError) as caught:
        check(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (3, 11)
    assert "not UTF-8" in problem.message


def test_payoff_tensor_accepts_whole_numbers() -> None:
    """Regression: integer parameter values from Python made ``x ** y`` raise numpy's ValueError."""
    scenario = negsim.loads(
        "negsim: 1\ntitle: t\nparameters:\n  x: {value: 2, about: a}\n  y: {value: 3, about: b}\n"
        "players:\n  a: {name: A, strategies: [s]}\n  b: {name: B, strategies: [s]}\n"
        "payoffs:\n  terms:\n    - {to: a, value: x ** -y}\n"
    )
    assert scenario.payoff_tensor({"x": 2, "y": 3})[0, 0, 0] == pytest.approx(0.125)
