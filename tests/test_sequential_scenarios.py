"""Sequential scenarios (``kind: sequential``): malformed files, the bundled trees, commitments, a property.

1. Every file under ``tests/data/malformed_sequential/`` is a small variation of a valid
   sequential scenario (the two examples of the README's "Sequential scenarios: game trees"),
   with one problem; its first line says what is wrong. The table holds, for each file, the
   line and column the message must point at and a key phrase of the message. Where the
   loader's message is unhelpful or points at the wrong place, the table still asks for the
   helpful behaviour (those cases fail until the loader is fixed).
2. The bundled sequential scenarios, with every expected value worked out by hand from the
   terms in the YAML (not read back from the code under test).
3. Commitment semantics, reused sub-trees, ``chance.X`` conditions and explicit payoffs on
   small inline scenarios.
4. A hypothesis property: a random small tree written as a scenario loads to the same game
   tree as one built directly with ``GameTree.from_parents``.
"""

from __future__ import annotations

import functools
import itertools
import json
from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from refusals import Case, assert_refused, invoke, run_cli

import negsim
from negsim.cli import main
from negsim.errors import Problem, ScenarioError
from negsim.game.tree import CHANCE, DECISION, TERMINAL, GameTree
from negsim.scenario.load import check
from negsim.scenario.sequential import SequentialScenario
from negsim.solvers.backward import backward_induction
from negsim.solvers.sequential import TreeResult

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data" / "malformed_sequential"
CREDIBILITY = ROOT / "scenarios" / "guarantee_credibility.yaml"
SINCERITY = ROOT / "scenarios" / "pledge_sincerity.yaml"
BUNDLED = [CREDIBILITY, SINCERITY]


# -- 1. malformed files ---------------------------------------------------------------------------


CASES = [
    # the tree's structure
    Case("unknown_node_player.yaml", 34, 15, "unknown player 'incumbant'; did you mean 'incumbent'?"),
    Case("unknown_next_node.yaml", 32, 23, "unknown node 'respnse'; did you mean 'response'?"),
    Case("unknown_start_node.yaml", 14, 10, "unknown node 'promis'; did you mean 'promise'?"),
    Case("cycle.yaml", 36, 23, "'entry' leads back to a node already on the way here (a cycle)"),
    Case("node_without_moves.yaml", 35, 14, "a node needs at least one move"),
    Case("move_key_not_identifier.yaml", 32, 9, "move name 'go in' must be a simple identifier"),
    Case("next_and_payoffs.yaml", 32, 16, "either leads to a 'next' node or ends the game with 'payoffs'"),
    Case(
        "ending_move_without_payoffs.yaml", 31, 9, "the game ends after 'stay_out' but no payoffs are given"
    ),
    Case("ending_payoffs_unknown_player.yaml", 31, 47, "unknown player 'entrnt'; did you mean 'entrant'?"),
    # chance
    Case("chance_sum_base.yaml", 12, 5, "the chance probabilities sum to 0.9, not 1"),
    Case(
        "chance_sum_variant.yaml",
        12,
        5,
        "the chance probabilities sum to 1.3, not 1 (with variant 'likely sincere')",
    ),
    # the column is that of the offending probability, not of the chance node
    Case("chance_probability_out_of_range.yaml", 13, 32, "a chance probability is 1.25, outside 0..1"),
    Case("chance_move_without_probability.yaml", 16, 9, "a chance move needs a 'probability'"),
    Case(
        "probability_on_decision_move.yaml",
        36,
        30,
        "only chance moves have probabilities; incumbent chooses here",
    ),
    Case("chance_move_sets_option.yaml", 15, 9, "chance moves cannot 'set' options or make commitments"),
    Case("info_on_chance_node.yaml", 14, 13, "chance nodes have no information sets"),
    Case(
        "unknown_parameter_in_probability.yaml",
        16,
        37,
        "unknown parameter 'p_sincre'; did you mean 'p_sincere'?",
    ),
    # information sets
    Case(
        "info_set_different_players.yaml",
        36,
        13,
        "information set 'who knows' joins nodes 'entry' and 'response'",
    ),
    Case(
        "info_set_different_moves.yaml",
        23,
        13,
        "information set 'after the pledge' joins nodes 'ukraine_sincere' and 'ukraine_tactical'",
    ),
    # the column is that of the 'info' that joins the two copies
    Case(
        "imperfect_recall.yaml",
        35,
        13,
        "forgets its own earlier moves at information set 'after entry'",
    ),
    # options and commitments
    Case(
        "set_undeclared_option.yaml",
        26,
        17,
        "'promissed' is not an option of incumbent; did you mean 'promised'?",
    ),
    Case(
        "forbids_unknown_move.yaml",
        23,
        31,
        "'acommodate' is not a move of incumbent; did you mean 'accommodate'?",
    ),
    Case(
        "commitment_removes_every_move.yaml",
        32,
        5,
        "commitments made earlier remove every move at node 'response'",
    ),
    Case(
        "penalty_unknown_parameter.yaml",
        23,
        58,
        "unknown parameter 'breech_cost'; did you mean 'breach_cost'?",
    ),
    Case("penalty_division_by_zero_in_variant.yaml", 23, 68, "division by zero (with variant 'cheap fight')"),
    # conditions, variants and the top level
    # the wording is checked in test_unknown_move_in_condition_speaks_of_moves
    Case("unknown_move_in_condition.yaml", 33, 33, "did you mean 'attack'?"),
    Case("fix_in_variant.yaml", 49, 5, "'fix' applies to strategic scenarios"),
    Case("unknown_kind.yaml", 3, 7, "unknown scenario kind 'sequencial'; did you mean 'sequential'?"),
    Case("unknown_top_key.yaml", 5, 1, "unknown key 'descripton'; did you mean 'description'?"),
    Case("strategies_on_tree_player.yaml", 9, 28, "unknown key 'strategies'"),
    Case("table_payoffs.yaml", 37, 3, "unknown key 'table'; valid names: 'terms'"),
    # the position is that of the key 'chance', not of the first player
    Case("player_named_chance.yaml", 10, 3, "'chance' is reserved for chance nodes"),
]

#: the few cases that also run in a real subprocess (each costs about half a second)
SUBPROCESS_CASES = ["cycle.yaml", "unknown_kind.yaml", "unknown_move_in_condition.yaml"]


def errors_of(path: Path) -> list[Problem]:
    with pytest.raises(ScenarioError) as caught:
        check(path)
    return [p for p in caught.value.problems if p.severity == "error"]


def test_at_least_twenty_malformed_files() -> None:
    assert len(CASES) >= 20
    assert len({c.file for c in CASES}) == len(CASES)


def test_every_file_in_the_folder_is_in_the_table() -> None:
    assert {p.name for p in DATA.glob("*.yaml")} == {c.file for c in CASES}


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.glob("*.yaml")))
def test_first_line_says_what_is_wrong(name: str) -> None:
    first = (DATA / name).read_bytes().split(b"\n", 1)[0].decode("ascii")
    assert first.startswith("# ") and len(first) > 12


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.glob("*.yaml")))
def test_each_file_is_a_sequential_scenario(name: str) -> None:
    """Every file declares a tree (so the sequential checker, not the strategic one, is tested)."""
    text = (DATA / name).read_text(encoding="utf-8")
    assert "\nkind: sequen" in text and "\ntree:\n" in text


@pytest.mark.parametrize("case", CASES, ids=str)
def test_solve_refuses(case: Case) -> None:
    path = DATA / case.file
    result = invoke("solve", str(path))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert_refused(case, path, result.exit_code, result.stdout, result.stderr)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_validate_refuses(case: Case) -> None:
    path = DATA / case.file
    result = invoke("validate", str(path))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert_refused(case, path, result.exit_code, result.stdout, result.stderr)
    assert "valid:" not in result.stdout + result.stderr


@pytest.mark.parametrize("case", CASES, ids=str)
def test_check_raises_scenario_error_at_the_same_place(case: Case) -> None:
    path = DATA / case.file
    with pytest.raises(ScenarioError) as caught:
        check(path)
    problems = caught.value.problems
    assert all(p.file == str(path) for p in problems)
    assert any(
        case.phrase in str(p) and p.line == case.line and (case.column is None or p.column == case.column)
        for p in problems
    ), [str(p) for p in problems]


@pytest.mark.parametrize("name", SUBPROCESS_CASES)
def test_solve_refuses_in_a_subprocess(name: str) -> None:
    case = next(c for c in CASES if c.file == name)
    path = DATA / name
    completed = run_cli("solve", str(path))
    assert_refused(case, path, completed.returncode, completed.stdout, completed.stderr)


# -- problems the table alone does not show --------------------------------------------------------


def test_unknown_node_player_causes_no_follow_on_errors() -> None:
    """One misspelt player at a node is one problem, not seven.

    The node's moves ('fight', 'accommodate') are then owned by nobody, so the commitment that
    forbids 'accommodate' and every condition naming 'incumbent.fight' are reported as well,
    and sorted *before* the real problem.
    """
    errors = errors_of(DATA / "unknown_node_player.yaml")
    assert [(p.line, p.message) for p in errors] == [(34, "unknown player 'incumbant'")], [
        str(p) for p in errors
    ]


def test_fix_in_variant_is_reported_once() -> None:
    """'fix' in a sequential variant gets its own explanation; a second, generic one is noise."""
    errors = errors_of(DATA / "fix_in_variant.yaml")
    assert len(errors) == 1, [str(p) for p in errors]
    assert "'fix' applies to strategic scenarios" in errors[0].message


def test_unknown_move_in_condition_speaks_of_moves() -> None:
    """Players of a sequential scenario have moves (and options), never strategies."""
    (error,) = errors_of(DATA / "unknown_move_in_condition.yaml")
    assert "did you mean 'attack'?" in str(error)
    assert "move" in error.message and "strategy" not in error.message, str(error)


ENTRY = """\
negsim: 1
kind: sequential
title: Entry and a binding promise
parameters:
  fight_cost: {value: 2, about: cost to the incumbent of fighting an entrant}
  breach_cost: {value: 4, about: what breaking the written promise would cost the incumbent}
players:
  entrant: {name: Entrant}
  incumbent:
    name: Incumbent
    options: {promised: {label: promised to fight}}
tree:
  start: promise
  nodes:
    promise:
      player: incumbent
      moves:
        write_it:
          label: promise in writing
          set: [promised]
          next: entry
          commits: {forbids: [accommodate], penalty: breach_cost, about: a contract with a third party}
        say_it:
          label: say it
          set: [promised]
          next: entry
    entry:
      player: entrant
      moves:
        stay_out: {label: stay out}
        enter: {next: response}
    response:
      player: incumbent
      moves: [fight, accommodate]
payoffs:
  terms:
    - {to: incumbent, when: entrant.stay_out, value: 4}
    - {to: incumbent, when: incumbent.accommodate, value: 1}
    - {to: incumbent, when: incumbent.fight, value: -fight_cost}
    - {to: entrant, when: incumbent.accommodate, value: 2}
    - {to: entrant, when: incumbent.fight, value: -1}
outcomes:
  deterred: entrant.stay_out
  price war: incumbent.fight
variants:
  cheap fight:
    about: fighting costs the incumbent nothing
    set: {fight_cost: 0}
"""

PLEDGE = """\
negsim: 1
kind: sequential
title: A pledge of unknown sincerity
parameters:
  p_sincere: {value: 0.5, range: [0, 1], about: chance that the pledge is sincere}
players:
  ukraine: {name: Ukraine}
  russia: {name: Russia}
tree:
  nodes:
    nature:
      player: chance
      moves:
        sincere: {probability: p_sincere, next: ukraine_sincere}
        tactical: {probability: 1 - p_sincere, next: ukraine_tactical}
    ukraine_sincere:
      player: ukraine
      info: after the pledge
      moves: {trust: {next: later}, distrust: {}}
    ukraine_tactical:
      player: ukraine
      info: after the pledge
      moves: {trust: {next: later}, distrust: {}}
    later:
      player: russia
      moves: [comply, attack]
payoffs:
  terms:
    - {to: ukraine, when: russia.comply, value: 4}
    - {to: ukraine, when: russia.attack, value: -6}
    - {to: russia, when: ukraine.trust, value: 5}
    - {to: russia, when: russia.attack and chance.tactical, value: 2}
    - {to: russia, when: russia.attack and chance.sincere, value: -4}
outcomes:
  peace: russia.comply
variants:
  likely sincere: {set: {p_sincere: 0.8}}
"""


def varied(base: str, old: str, new: str) -> str:
    """``base`` with ``old`` (which must occur exactly once) replaced by ``new``."""
    assert base.count(old) == 1, old
    return base.replace(old, new)


def test_the_bases_are_the_readme_examples_and_valid() -> None:
    """The malformed files vary the two examples of the README's section on game trees."""
    readme = (ROOT / "scenarios" / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Sequential scenarios: game trees", 1)[1].split("\n## ", 1)[0]
    blocks = [block.split("```", 1)[0] for block in section.split("```yaml\n")[1:]]
    assert blocks == [ENTRY, PLEDGE]
    for text in (ENTRY, PLEDGE):
        assert isinstance(negsim.loads(text, "<readme>"), SequentialScenario)


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        # two moves at node 'entry' (lines 27-31) are both labelled 'enter'
        pytest.param(
            varied(ENTRY, "stay_out: {label: stay out}", "stay_out: {label: enter}"),
            range(27, 32),
            id="two-moves-one-label",
        ),
        # the two nodes of 'after the pledge' (lines 16-23) offer the same keys, different labels
        pytest.param(
            varied(
                PLEDGE,
                "      moves: {trust: {next: later}, distrust: {}}\n    later:",
                "      moves: {trust: {next: later, label: believe}, distrust: {}}\n    later:",
            ),
            range(16, 24),
            id="info-set-labels-differ",
        ),
    ],
)
def test_move_labels_are_checked_where_they_are_written(text: str, lines: range, tmp_path: Path) -> None:
    """Moves that look alike (one label) are reported at the moves, in the loader's own words.

    The loader checks keys, not labels; the clash surfaces when GameTree is built, and comes out
    as 'GameTree: ...' (with a node number) at the 'tree:' line, with a hint about recall.
    """
    path = tmp_path / "labels.yaml"
    path.write_text(text, encoding="utf-8")
    result = invoke("validate", str(path))
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    errors = errors_of(path)
    assert len(errors) == 1, [str(p) for p in errors]
    (error,) = errors
    assert error.line in lines, str(error)
    assert "GameTree" not in error.message, str(error)
    assert "remember its own earlier moves" not in error.hint, str(error)


# -- 2. the bundled sequential scenarios --------------------------------------------------------


@functools.cache
def solved(path: Path, variant: str | None = None) -> tuple[SequentialScenario, TreeResult]:
    scenario = negsim.load(path)
    assert isinstance(scenario, SequentialScenario)
    if variant is not None:
        scenario = scenario.variant(variant)
    return scenario, scenario.solve()


def spe_paths(scenario: SequentialScenario, result: TreeResult) -> list[list[tuple[str, str]]]:
    """Each subgame-perfect path as (mover's name, move key) pairs."""
    assert result.spe is not None
    keys = scenario.move_keys()
    tree = result.tree
    paths = []
    for spe in result.spe.equilibria:
        nodes = spe.path()
        paths.append([(tree.mover_name(a), keys[b]) for a, b in itertools.pairwise(nodes)])
    return paths


def outcomes_at(scenario: SequentialScenario, leaf: int) -> list[str]:
    return [name for name, mask in scenario.leaf_outcomes().items() if mask[leaf]]


def reached(scenario: SequentialScenario, result: TreeResult, index: int) -> dict[str, float]:
    """Probability of each named outcome under Nash equilibrium ``index``."""
    reach = result.reach(index)
    found = {name: float(reach[mask].sum()) for name, mask in scenario.leaf_outcomes().items()}
    return {name: p for name, p in found.items() if p > 1e-9}


UKRAINE, GUARANTORS, RUSSIA = "Ukraine", "US and European powers", "Russia"


def test_guarantee_base_has_one_spe_where_ukraine_keeps_its_bid() -> None:
    # By hand (base values): after an attack the guarantors abandon (-2 with a guarantee, -1
    # without) rather than respond (-4); so Russia attacks later (7, or 6.5 after the pledge in
    # law) rather than comply (6), pledges in words (7 > 6.5 > fighting's 2), the guarantors
    # decline (-1 > -2), and renouncing gives Ukraine -3 - 4 = -7 < 0: it keeps its bid.
    scenario, result = solved(CREDIBILITY)
    assert result.spe is not None and result.spe.complete
    assert spe_paths(scenario, result) == [[(UKRAINE, "keep_bid")]]
    (spe,) = result.spe.equilibria
    np.testing.assert_allclose(spe.payoffs, [0, 0, 0], atol=1e-12)
    assert outcomes_at(scenario, spe.path()[-1]) == ["war goes on"]


@pytest.mark.parametrize("variant", ["credible guarantee", "cheap response"])
def test_guarantee_variants_lead_to_a_guaranteed_settlement(variant: str) -> None:
    # By hand: with abandon_cost 6 (or respond_cost 1.5) the guarantors respond to an attack
    # after a guarantee (-4 > -6, or -1.5 > -2), so Russia complies after a guarantee: 4 + 2 = 6
    # beats attacking (4 + 3 - 6 = 1, less 0.5 after the law). After a guarantee Russia is
    # indifferent between the two pledges (both end in compliance, which costs nothing): two
    # SPEs. The guarantors offer (3 - 1 = 2 > -1) and Ukraine renounces: -3 + 6 + 2 = 5 > 0.
    scenario, result = solved(CREDIBILITY, variant)
    assert result.spe is not None and result.spe.complete
    paths = spe_paths(scenario, result)
    assert sorted(paths) == [
        [(UKRAINE, "renounce"), (GUARANTORS, "offer"), (RUSSIA, pledge), (RUSSIA, "comply")]
        for pledge in ("pledge_in_law", "pledge_in_words")
    ]
    for spe in result.spe.equilibria:
        np.testing.assert_allclose(spe.payoffs, [5, 2, 6], atol=1e-12)
        assert outcomes_at(scenario, spe.path()[-1]) == ["guaranteed settlement"]


def test_binding_law_does_not_change_the_base_outcome() -> None:
    # By hand: breaking the legal pledge now costs 5, so after the pledge in law Russia would
    # comply (6 > 7 - 5); but the pledge in words still allows the attack (7 > 6), so Russia
    # pledges in words, and the rest is as in the base: Ukraine keeps its bid.
    scenario, result = solved(CREDIBILITY, "binding law")
    assert result.spe is not None
    assert spe_paths(scenario, result) == [[(UKRAINE, "keep_bid")]]
    (spe,) = result.spe.equilibria
    np.testing.assert_allclose(spe.payoffs, [0, 0, 0], atol=1e-12)
    assert outcomes_at(scenario, spe.path()[-1]) == ["war goes on"]
    tree, keys = result.tree, scenario.move_keys()
    at_russia = [(node, child) for node, child in spe.plan() if tree.names[node] == "russia_decides"]
    assert len(at_russia) == 2  # with and without a guarantee
    assert {keys[child] for _, child in at_russia} == {"pledge_in_words"}
    law = [(node, child) for node, child in spe.plan() if tree.names[node] == "russia_later"]
    after_law = {
        keys[child] for node, child in law if "pledge_in_law" in [keys[n] for n in tree.history(node)]
    }
    assert after_law == {"comply"}


def test_guarantee_normal_form_has_incredible_equilibria_resting_on_respond() -> None:
    _, result = solved(CREDIBILITY)
    assert result.nash is not None
    credible = [i for i, ok in enumerate(result.credible) if ok]
    # the one subgame-perfect plan (no ties) is the one credible equilibrium
    assert len(credible) == 1
    np.testing.assert_allclose(result.nash.equilibria[credible[0]].payoffs, [0, 0, 0], atol=1e-9)
    tree = result.tree
    guarantors = tree.players.index(GUARANTORS)
    respond_lapses = [
        lapse
        for found in result.lapses
        for lapse in found
        if lapse.player == guarantors and [tree.move_name(c) for c, _ in lapse.planned] == ["respond"]
    ]
    assert respond_lapses
    for lapse in respond_lapses:
        assert tree.move_name(lapse.best) == "abandon Ukraine"
        assert lapse.sentence(tree).startswith(f"{GUARANTORS} would not carry out the threat against Russia")
        assert " to respond (" in lapse.sentence(tree)
    assert all(not ok for ok, found in zip(result.credible, result.lapses) if found)


def test_guarantee_commitments_say_which_pledge_binds() -> None:
    scenario = negsim.load(CREDIBILITY)
    assert isinstance(scenario, SequentialScenario)
    sentences = scenario.commitments()
    binding = [s for s in sentences if "is a binding commitment" in s]
    cheap = [s for s in sentences if "(cheap talk)" in s]
    assert len(binding) == 1 and len(cheap) == 1 and len(sentences) == 2
    assert binding[0].startswith("Russia's move 'pledge in law + ceasefire' is a binding commitment")
    assert "'attack' would later cost Russia 0.5 more" in binding[0]
    assert cheap[0].startswith("Russia's move 'pledge in words + ceasefire' commits to nothing")
    # the price follows the variant's parameter values
    law = scenario.variant("binding law").commitments()
    assert any("'attack' would later cost Russia 5 more" in s for s in law)


def test_pledge_base_every_credible_equilibrium_is_war() -> None:
    # By hand: Ukraine renounces after a signal only if the chance the pledge is sincere is at
    # least 0.6 (4 mu - 6 (1 - mu) >= 0). The tactical Russia gains more from being believed
    # (7 against 5), so any signal that makes Ukraine renounce is sent at least as eagerly by
    # the tactical type; at p = 0.5 no signal can carry a belief of 0.6. Every credible
    # equilibrium has both types silent and Ukraine keeping its bid.
    scenario, result = solved(SINCERITY)
    assert result.spe is None  # an information set: no backward induction
    assert result.nash is not None and result.nash.complete
    credible = [i for i, ok in enumerate(result.credible) if ok]
    assert credible
    for index in credible:
        assert reached(scenario, result, index) == pytest.approx({"war goes on": 1.0})
        np.testing.assert_allclose(result.nash.equilibria[index].payoffs, [0, 0], atol=1e-9)


def test_pledge_likely_sincere_reaches_lasting_peace() -> None:
    # By hand (p = 0.8): with both types pooling on one signal, Ukraine's belief is 0.8 >= 0.6
    # and it renounces: 0.8 * 4 - 0.2 * 6 = 2. The sincere Russia complies (5 > 5 + 2 - 4), the
    # tactical one attacks (7 > 5): lasting peace 80%, betrayal 20%. Pooling on silence gives
    # Russia 0.8 * 5 + 0.2 * 7 = 5.4, pooling on the pledge 0.5 less, 4.9.
    scenario, result = solved(SINCERITY, "likely sincere")
    assert result.nash is not None and result.nash.complete
    credible = [i for i, ok in enumerate(result.credible) if ok]
    assert credible
    peaceful = [
        i
        for i in credible
        if reached(scenario, result, i).get("lasting peace", 0) == pytest.approx(0.8)
        and result.nash.equilibria[i].payoffs[0] == pytest.approx(2.0)
    ]
    assert peaceful
    for index in credible:
        assert reached(scenario, result, index) == pytest.approx({"lasting peace": 0.8, "betrayal": 0.2})
    russia = {round(float(result.nash.equilibria[i].payoffs[1]), 9) for i in credible}
    assert russia == {4.9, 5.4}


def test_solve_json_of_guarantee_credibility() -> None:
    result = invoke("solve", str(CREDIBILITY), "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["kind"] == "sequential"
    assert document["players"] == [UKRAINE, GUARANTORS, RUSSIA]
    assert document["perfect_information"] is True
    (spe,) = document["spe"]
    assert set(spe) >= {"path", "plan", "payoffs"}
    assert spe["path"] == [{"player": UKRAINE, "move": "keep NATO bid", "key": "keep_bid"}]
    assert spe["payoffs"] == {UKRAINE: 0.0, GUARANTORS: 0.0, RUSSIA: 0.0}
    assert spe["outcomes"] == {"war goes on": 1.0}
    assert len(spe["plan"]) == 12  # every decision node of the 27-node tree
    assert all(set(step) >= {"node", "player", "move", "on_path"} for step in spe["plan"])
    assert [step["on_path"] for step in spe["plan"]].count(True) == 1
    equilibria = document["equilibria"]
    assert equilibria
    for equilibrium in equilibria:
        assert isinstance(equilibrium["credible"], bool)
        assert isinstance(equilibrium["lapses"], list)
        assert equilibrium["credible"] == (not equilibrium["lapses"])
    assert sum(e["credible"] for e in equilibria) == 1
    assert any(
        lapse.startswith(f"{GUARANTORS} would not carry out") and " to respond (" in lapse
        for e in equilibria
        for lapse in e["lapses"]
    )
    assert len(document["commitments"]) == 2


def test_solve_json_of_pledge_sincerity_variant() -> None:
    result = invoke("solve", str(SINCERITY), "--variant", "likely sincere", "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["variant"] == "likely sincere"
    assert document["parameters"]["p_sincere"] == 0.8
    assert document["perfect_information"] is False
    assert document["spe"] == []
    credible = [e for e in document["equilibria"] if e["credible"]]
    assert credible and all(e["lapses"] == [] for e in credible)
    assert any(
        e["outcomes"].get("lasting peace") == pytest.approx(0.8)
        and e["payoffs"]["Ukraine"] == pytest.approx(2)
        for e in credible
    )


@pytest.mark.parametrize(
    ("path", "shape"),
    [
        (CREDIBILITY, "3 players (a tree of 27 nodes and 15 ends)"),
        (SINCERITY, "2 players (a tree of 23 nodes and 12 ends)"),
    ],
    ids=lambda value: value.stem if isinstance(value, Path) else "",
)
def test_validate_bundled_sequential_files(path: Path, shape: str) -> None:
    # 27 = 1 + 2 + 2 + 6 + 8 + 8 nodes and 15 = 1 + 2 + 4 + 8 ends, by the tree's levels;
    # 23 = 1 + 2 + 4 + 8 + 8 nodes and 12 = 4 + 8 ends
    result = invoke("validate", str(path))
    assert result.exit_code == 0, result.output
    assert f"{path}: valid: {shape}" in result.stdout


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_explain_bundled_sequential_files(path: Path) -> None:
    # a wide terminal, so that no name is wrapped inside a table cell
    result = CliRunner().invoke(main, ["explain", str(path)], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    scenario = negsim.load(path)
    assert isinstance(scenario, SequentialScenario)
    spec = scenario.compiled.spec
    assert result.stdout.startswith(scenario.title)
    for key, player in spec.players.items():
        assert f"{player.name} ({key})" in result.stdout
    for node in spec.tree.nodes:
        assert node in result.stdout
    for parameter in spec.parameters:
        assert parameter in result.stdout


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_bundled_tree_matches_its_move_keys_and_outcomes(path: Path) -> None:
    scenario = negsim.load(path)
    assert isinstance(scenario, SequentialScenario)
    tree = scenario.tree()
    assert len(scenario.move_keys()) == tree.n_nodes
    leaves = np.zeros(tree.n_nodes, dtype=bool)
    leaves[tree.terminals] = True
    for name, mask in scenario.leaf_outcomes().items():
        assert mask.shape == (tree.n_nodes,)
        assert mask.any(), name
        assert not (mask & ~leaves).any(), f"outcome {name!r} covers a node that is not an end"


# -- 3. commitments, reused sub-trees, chance conditions, explicit payoffs -----------------------

PROMISE = """\
negsim: 1
kind: sequential
title: A promise before a later choice
players:
  a:
    name: A
    options: {promised: {label: promised not to defect}}
  b: {name: B}
tree:
  nodes:
    first:
      player: a
      moves:
        bind: {next: middle, set: [promised], commits: {forbids: [defect]COST}}
        talk: {next: middle, set: [promised]}
        free: {next: middle}
    middle:
      player: b
      moves:
        trust: {next: last}
        leave: {}
    last:
      player: a
      moves:
        keep: {}
        defect: {next: aftermath}
    aftermath:
      player: b
      moves: [protest, accept]
payoffs:
  terms:
    - {to: a, when: a.keep, value: 1}
    - {to: b, when: a.keep, value: 2}
    - {to: a, when: a.defect, value: 3}
    - {to: b, when: a.defect, value: -2}
    - {to: [a, b], when: b.protest, value: -1}
"""

#: the payoffs of each play after a move of A that binds nothing (by hand, from the terms)
UNBOUND = {
    ("leave",): (0.0, 0.0),
    ("trust", "keep"): (1.0, 2.0),
    ("trust", "defect", "protest"): (2.0, -3.0),
    ("trust", "defect", "accept"): (3.0, -2.0),
}


def promise(penalty: str | None) -> SequentialScenario:
    cost = "" if penalty is None else f", penalty: {penalty}"
    scenario = negsim.loads(PROMISE.replace("COST", cost), "<promise>")
    assert isinstance(scenario, SequentialScenario)
    return scenario


def leaf_payoffs(scenario: SequentialScenario) -> dict[tuple[str, ...], tuple[float, ...]]:
    """The payoffs at each end of the game, by the move keys on the way there."""
    tree = scenario.tree()
    keys = scenario.move_keys()
    table = {}
    for leaf in tree.terminals:
        path = tuple(keys[n] for n in tree.history(int(leaf))[1:])
        assert path not in table
        table[path] = tuple(float(v) for v in tree.payoffs[leaf])
    return table


def below(
    table: dict[tuple[str, ...], tuple[float, ...]], first: str
) -> dict[tuple[str, ...], tuple[float, ...]]:
    return {path[1:]: value for path, value in table.items() if path[0] == first}


def test_a_commitment_without_penalty_removes_the_forbidden_move() -> None:
    scenario = promise(None)
    tree = scenario.tree()
    # each of 'talk' and 'free' leads to 7 nodes and 4 ends; 'bind' to 4 nodes and 2 ends
    assert tree.n_nodes == 1 + 7 + 7 + 4
    assert len(tree.terminals) == 4 + 4 + 2
    table = leaf_payoffs(scenario)
    assert below(table, "bind") == {("leave",): (0.0, 0.0), ("trust", "keep"): (1.0, 2.0)}
    assert below(table, "free") == UNBOUND
    paths = [_path(scenario, node) for node in range(tree.n_nodes)]
    assert not [path for path in paths if path[:1] == ["bind"] and "defect" in path]
    assert [path for path in paths if path[:1] == ["free"] and path[-1:] == ["defect"]]


def _path(scenario: SequentialScenario, node: int) -> list[str]:
    keys = scenario.move_keys()
    return [keys[n] for n in scenario.tree().history(node)[1:]]


def test_a_commitment_with_penalty_charges_every_end_below_the_forbidden_move() -> None:
    scenario = promise("5")
    tree = scenario.tree()
    assert tree.n_nodes == 1 + 7 * 3
    assert len(tree.terminals) == 4 * 3
    table = leaf_payoffs(scenario)
    # A pays 5 at both ends below 'defect' (one is a further move of B), nowhere else
    assert below(table, "bind") == {
        ("leave",): (0.0, 0.0),
        ("trust", "keep"): (1.0, 2.0),
        ("trust", "defect", "protest"): (2.0 - 5, -3.0),
        ("trust", "defect", "accept"): (3.0 - 5, -2.0),
    }
    assert below(table, "free") == UNBOUND


def test_cheap_talk_changes_nothing() -> None:
    for penalty in (None, "5"):
        table = leaf_payoffs(promise(penalty))
        assert below(table, "talk") == below(table, "free") == UNBOUND


@pytest.mark.parametrize("penalty", [None, "5"])
def test_the_binding_promise_is_the_subgame_perfect_choice(penalty: str | None) -> None:
    # By hand: unbound, B accepts a defection (-2 > -3), so A defects (3 > 1) and B leaves
    # (0 > -2): A gets 0. Bound, A keeps (1 > 3 - 5, or 'defect' is gone), B trusts (2 > 0).
    scenario = promise(penalty)
    solution = backward_induction(scenario.tree())
    (spe,) = solution.equilibria
    keys = scenario.move_keys()
    nodes = spe.path()
    assert [keys[n] for n in nodes[1:]] == ["bind", "trust", "keep"]
    np.testing.assert_allclose(spe.payoffs, [1, 2])
    talk = next(c for c in scenario.tree().children(0) if keys[c] == "talk")
    np.testing.assert_allclose(spe.values[talk], [0, 0])


def test_commitment_sentences_for_the_small_promise() -> None:
    removed = promise(None).commitments()
    assert removed == [
        "A's move 'bind' is a binding commitment: it removes 'defect' from A's later choices.",
        "A's move 'talk' commits to nothing: after it, 'defect' stays open at no extra cost (cheap talk).",
    ]
    priced = promise("5").commitments()
    assert priced[0] == "A's move 'bind' is a binding commitment: 'defect' would later cost A 5 more."
    assert priced[1:] == removed[1:]


REUSED = """\
negsim: 1
kind: sequential
title: One sub-tree under two moves
players:
  a: {name: A}
  b: {name: B}
tree:
  nodes:
    first:
      player: a
      moves:
        left: {next: shared}
        right: {next: shared}
    shared:
      player: b
      moves: [up, down]
payoffs:
  terms:
    - {to: b, when: a.left and b.up, value: 1}
    - {to: b, when: a.right and b.down, value: 2}
    - {to: a, when: b.up, value: 3}
"""


def test_a_reused_node_is_copied_and_its_copies_see_their_history() -> None:
    scenario = negsim.loads(REUSED, "<reused>")
    assert isinstance(scenario, SequentialScenario)
    tree = scenario.tree()
    assert tree.n_nodes == 1 + 2 + 4
    assert len(tree.terminals) == 4
    assert [tree.names[int(c)] for c in tree.children(0)] == ["shared", "shared"]
    assert leaf_payoffs(scenario) == {
        ("left", "up"): (3.0, 1.0),
        ("left", "down"): (0.0, 0.0),
        ("right", "up"): (3.0, 0.0),
        ("right", "down"): (0.0, 2.0),
    }
    # B plays up after left (1 > 0) and down after right (2 > 0), so A goes left: (3, 1)
    (spe,) = backward_induction(tree).equilibria
    np.testing.assert_allclose(spe.payoffs, [3, 1])


COIN = """\
negsim: 1
kind: sequential
title: Chance first
players:
  a: {name: A}
  b: {name: B}
tree:
  nodes:
    coin:
      player: chance
      moves:
        heads: {probability: 1/4, next: choice}
        tails: {probability: 3/4, next: choice}
    choice:
      player: a
      moves: [go, stop]
payoffs:
  terms:
    - {to: a, when: chance.heads and a.go, value: 4}
    - {to: a, when: chance.tails and a.go, value: -1}
    - {to: b, when: chance.tails, value: 2}
outcomes:
  lucky: chance.heads and a.go
"""


def test_chance_conditions_name_what_chance_did() -> None:
    scenario = negsim.loads(COIN, "<coin>")
    assert isinstance(scenario, SequentialScenario)
    assert leaf_payoffs(scenario) == {
        ("heads", "go"): (4.0, 0.0),
        ("heads", "stop"): (0.0, 0.0),
        ("tails", "go"): (-1.0, 2.0),
        ("tails", "stop"): (0.0, 2.0),
    }
    tree = scenario.tree()
    np.testing.assert_allclose(sorted(tree.probability[tree.children(0)]), [0.25, 0.75])
    # A goes after heads (4 > 0) and stops after tails (0 > -1): 1/4 * 4 = 1 for A, 3/4 * 2 for B
    (spe,) = backward_induction(tree).equilibria
    np.testing.assert_allclose(spe.payoffs, [1.0, 1.5])
    lucky = scenario.leaf_outcomes()["lucky"]
    assert [_path(scenario, int(n)) for n in np.flatnonzero(lucky)] == [["heads", "go"]]


EXPLICIT = """\
negsim: 1
kind: sequential
title: Explicit payoffs on an ending move
players:
  a: {name: A}
  b: {name: B}
tree:
  nodes:
    only:
      player: a
      moves:
        settle: {payoffs: {a: 7, b: -1}}
        walk: {}
payoffs:
  terms:
    - {to: all, value: 10}
    - {to: a, when: a.settle, value: 100}
"""


def test_explicit_payoffs_on_an_ending_move_override_the_terms() -> None:
    scenario = negsim.loads(EXPLICIT, "<explicit>")
    assert isinstance(scenario, SequentialScenario)
    assert leaf_payoffs(scenario) == {("settle",): (7.0, -1.0), ("walk",): (10.0, 10.0)}


def test_the_first_node_listed_is_the_start_by_default() -> None:
    scenario = negsim.loads(REUSED, "<reused>")
    assert isinstance(scenario, SequentialScenario)
    assert scenario.tree().names[0] == "first"


# -- 4. a property: random trees load as they were written -------------------------------------

MAX_DEPTH = 3


@dataclass
class Gen:
    """A generated node: a mover ('p0', 'p1' or 'chance') with children, or a leaf with payoffs."""

    mover: str
    children: list[Gen] = field(default_factory=list)
    weights: list[int] = field(default_factory=list)
    payoffs: tuple[int, int] = (0, 0)


@st.composite
def gen_trees(draw: st.DrawFn, depth: int = 0) -> Gen:
    if depth == MAX_DEPTH or (depth > 0 and draw(st.integers(0, 2)) == 0):
        return Gen("", payoffs=(draw(st.integers(-9, 9)), draw(st.integers(-9, 9))))
    mover = draw(st.sampled_from(["p0", "p1", "chance"]))
    n = draw(st.integers(1, 3))
    children = [draw(gen_trees(depth + 1)) for _ in range(n)]
    weights = draw(st.lists(st.integers(1, 4), min_size=n, max_size=n)) if mover == "chance" else []
    return Gen(mover, children, weights)


def internal_nodes(root: Gen) -> list[Gen]:
    """The nodes with moves, depth first (the order they are written in)."""
    found = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node.mover:
            found.append(node)
            stack.extend(reversed(node.children))
    return found


def as_scenario(root: Gen) -> str:
    names = {id(node): f"n{i}" for i, node in enumerate(internal_nodes(root))}
    lines = [
        "negsim: 1",
        "kind: sequential",
        "title: A random tree",
        "players:",
        "  p0: {name: P0}",
        "  p1: {name: P1}",
        "tree:",
        "  nodes:",
    ]
    for node in internal_nodes(root):
        lines += [f"    {names[id(node)]}:", f"      player: {node.mover}", "      moves:"]
        total = sum(node.weights)
        for k, child in enumerate(node.children):
            parts = []
            if node.mover == "chance":
                parts.append(f"probability: {node.weights[k]}/{total}")
            if child.mover:
                parts.append(f"next: {names[id(child)]}")
            else:
                parts.append(f"payoffs: {{p0: {child.payoffs[0]}, p1: {child.payoffs[1]}}}")
            lines.append(f"        m{k}: {{{', '.join(parts)}}}")
    return "\n".join(lines) + "\n"


def as_tree(root: Gen) -> GameTree:
    """The same game built directly, nodes in depth-first order."""
    parent: list[int] = []
    kind: list[int] = []
    player: list[int] = []
    moves: list[str] = []
    probability: list[float] = []
    payoffs: list[tuple[int, int]] = []

    def add(node: Gen, up: int, move: str, p: Fraction) -> None:
        index = len(parent)
        parent.append(up)
        kind.append(TERMINAL if not node.mover else CHANCE if node.mover == "chance" else DECISION)
        player.append(int(node.mover[1]) if node.mover.startswith("p") else -1)
        moves.append(move)
        probability.append(float(p))
        payoffs.append(node.payoffs)
        total = sum(node.weights)
        for k, child in enumerate(node.children):
            add(child, index, f"m{k}", Fraction(node.weights[k], total) if node.weights else Fraction(1))

    add(root, -1, "", Fraction(1))
    return GameTree.from_parents(
        ["P0", "P1"],
        parent=parent,
        kind=kind,
        player=player,
        moves=moves,
        probability=probability,
        payoffs=payoffs,
    )


def plays(tree: GameTree) -> dict[tuple[str, ...], tuple[tuple[float, ...], float]]:
    """Each end of the game by its moves: payoffs and the chance of getting there."""
    reach = tree.reach_probability()
    return {
        tuple(tree.move_name(n) for n in tree.history(int(leaf))[1:]): (
            tuple(float(v) for v in tree.payoffs[leaf]),
            float(reach[leaf]),
        )
        for leaf in tree.terminals
    }


def spe_payoffs(tree: GameTree) -> Counter[tuple[float, ...]]:
    return Counter(
        tuple(round(float(v), 9) + 0.0 for v in e.payoffs) for e in backward_induction(tree).equilibria
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(gen_trees())
def test_a_random_tree_loads_as_it_was_written(root: Gen) -> None:
    text = as_scenario(root)
    scenario = negsim.loads(text, "<random>")
    assert isinstance(scenario, SequentialScenario)
    loaded, expected = scenario.tree(), as_tree(root)
    assert loaded.n_nodes == expected.n_nodes
    assert len(loaded.terminals) == len(expected.terminals)
    assert np.count_nonzero(loaded.kind == CHANCE) == np.count_nonzero(expected.kind == CHANCE)
    assert Counter(map(tuple, loaded.payoffs[loaded.terminals].tolist())) == Counter(
        map(tuple, expected.payoffs[expected.terminals].tolist())
    )
    got, want = plays(loaded), plays(expected)
    assert got.keys() == want.keys()
    for path, (payoffs, reach) in want.items():
        assert got[path][0] == payoffs, path
        assert got[path][1] == pytest.approx(reach, abs=1e-12), path
    assert spe_payoffs(loaded) == spe_payoffs(expected)
