"""Claims files: the source's claims, in our own words, which scenarios cite by id."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from negsim.errors import Problem, ScenarioError
from negsim.scenario.schema import Claim, ClaimsFile
from negsim.scenario.validation import suggest, translate
from negsim.scenario.yamlio import load_yaml, read_text


@dataclass(frozen=True)
class ClaimIndex:
    """Every claim of the loaded claims files, by id."""

    claims: Mapping[str, Claim]

    def __contains__(self, claim_id: object) -> bool:
        return claim_id in self.claims


def load_claims(path: str | os.PathLike[str]) -> ClaimsFile:
    """Load and validate one claims file; problems carry file:line:column.

    Raises :class:`ScenarioError` when the file cannot be read or validated.
    """
    name = os.fspath(path)
    raw, positions = load_yaml(read_text(name, "claims"), name)
    try:
        parsed = ClaimsFile.model_validate(raw)
    except ValidationError as exc:
        raise ScenarioError(translate(exc, raw, positions, ClaimsFile)) from None
    problems = []
    seen: dict[str, int] = {}
    for index, claim in enumerate(parsed.claims):
        if claim.id in seen:
            problems.append(
                positions.problem(
                    ("claims", index, "id"),
                    f"claim id '{claim.id}' is used twice",
                    f"first used by item {seen[claim.id] + 1}; give each claim its own id",
                )
            )
        seen.setdefault(claim.id, index)
    if problems:
        raise ScenarioError(problems)
    return parsed


def index_claims(sources: list[Path]) -> tuple[ClaimIndex, list[Problem]]:
    """Load every claims file; collect the problems of all of them, never stop early."""
    claims: dict[str, Claim] = {}
    problems: list[Problem] = []
    for source in sources:
        try:
            parsed = load_claims(source)
        except ScenarioError as exc:
            problems.extend(exc.problems)
            continue
        for claim in parsed.claims:
            claims.setdefault(claim.id, claim)
    return ClaimIndex(claims), problems


def unknown_claim_hint(claim_id: str, index: ClaimIndex) -> str:
    """Hint for an unknown claim id: the nearest known id, or what to add."""
    hint = suggest(claim_id, index.claims)
    return hint or "add the claim to a claims file listed under 'sources'"
