"""Every provider in the catalogue runs what it claims, or is plainly marked.

For each declared capability: a `Runs` names a client that builds from a key
without touching the network and whose documented request/response shapes are
tested (respx) in the test module it names; a `RunsLocally` names its tests; a
`KeyCheckOnly` says why. A retired provider claims nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import respx

from synthora.providers import registry
from synthora.providers.base import (
    STEP_CAPABILITY,
    Capability,
    KeyCheckOnly,
    ProviderDeclaration,
    Runs,
    RunsLocally,
)

REPO = Path(__file__).resolve().parents[2]

CLAIMS = [
    (declaration, capability, support)
    for declaration in registry.all_providers()
    for capability, support in declaration.capabilities.items()
]


def _id(claim: tuple[ProviderDeclaration, Capability, object]) -> str:
    return f"{claim[0].id}-{claim[1].value}"


@pytest.mark.parametrize("claim", CLAIMS, ids=[_id(c) for c in CLAIMS])
def test_every_claim_has_a_client_and_documented_shape_tests(
    claim: tuple[ProviderDeclaration, Capability, object], respx_mock: respx.MockRouter
) -> None:
    declaration, capability, support = claim
    if isinstance(support, KeyCheckOnly):
        assert support.reason.strip(), f"{declaration.id}: key check only needs a reason"
        assert not declaration.runs(capability)
        assert declaration.client_for(capability) is None
        assert declaration.why_not(capability) is not None
        return
    assert declaration.retired is None, "a retired provider claims nothing"
    tests = REPO / support.tests  # type: ignore[union-attr]
    assert tests.is_file(), f"{declaration.id}: {support.tests} does not exist"  # type: ignore[union-attr]
    text = tests.read_text()
    if isinstance(support, RunsLocally):
        assert support.description
        return
    assert isinstance(support, Runs)
    # required free-text options (a server's base URL) take their documented example
    options = {o.name: o.example for o in declaration.options if o.required and o.example}
    client = support.client("key-0123456789-0123456789", None, options)
    # built lazily: no request until the client is used
    assert not respx_mock.calls
    name = type(client).__name__
    assert name in text, f"{support.tests} never exercises {name}"
    assert "respx" in text, f"{support.tests} does not use documented shapes (respx)"


@pytest.mark.parametrize("declaration", registry.all_providers(), ids=lambda d: d.id)
def test_every_listed_category_is_declared(declaration: ProviderDeclaration) -> None:
    for category in declaration.categories:
        assert STEP_CAPABILITY[category] in declaration.capabilities


@pytest.mark.parametrize("capability", list(Capability), ids=lambda c: c.value)
def test_only_providers_that_run_a_capability_can_be_chosen_for_it(
    capability: Capability,
) -> None:
    for declaration in registry.runners(capability):
        support = declaration.support(capability)
        assert isinstance(support, Runs | RunsLocally)
        assert declaration.status == "active"
    for declaration in registry.all_providers():
        if declaration not in registry.runners(capability):
            assert registry.client_for(capability, declaration.id) is None


def test_the_key_check_only_and_retired_providers_are_marked() -> None:
    status = {d.id: d.status for d in registry.all_providers()}
    assert status["sora"] == "retired"
    key_check_only = {pid for pid, s in status.items() if s == "key_check_only"}
    assert key_check_only == {"remotion"}
    for pid in ("imagineart", "pixverse", "seedance", "wan", "hailuo", "ltx"):
        assert status[pid] == "active"
        assert registry.get_provider(pid).runs(Capability.VIDEO_AI)
    assert status["editframe"] == "active"
    assert registry.get_provider("editframe").runs(Capability.ASSEMBLY)


def test_remotion_is_key_check_only_because_it_has_no_hosted_render_api() -> None:
    remotion = registry.get_provider("remotion")
    support = remotion.capabilities[Capability.ASSEMBLY]
    assert isinstance(support, KeyCheckOnly)
    assert "no hosted render API" in support.reason
    assert remotion.status_reason == support.reason
    assert remotion.why_not(Capability.ASSEMBLY) == f"key check only: {support.reason}"
    assert remotion not in registry.runners(Capability.ASSEMBLY)


def test_sora_is_retired_with_a_source() -> None:
    sora = registry.get_provider("sora")
    assert sora.retired is not None
    assert sora.retired.source.startswith("https://")
    assert str(sora.retired.since) == "2026-09-24"
    assert sora.why_not(Capability.VIDEO_AI) == f"retired: {sora.retired.reason}"
    assert not registry.runners(Capability.VIDEO_AI).__contains__(sora)
