"""Every capability a provider claims to run has a client and a test of its
documented shapes; everything else is plainly key check only or retired."""

from __future__ import annotations

from pathlib import Path

import pytest
import respx

from synthora.providers.base import Capability, KeyCheckOnly, ProviderDeclaration, Runs
from synthora.providers.registry import all_providers, runners

ROOT = Path(__file__).resolve().parents[2]
KEY = "claims-test-key-0123456789"

CLAIMS = [
    (declaration, capability, support)
    for declaration in all_providers()
    for capability, support in declaration.capabilities.items()
    if isinstance(support, Runs)
]


@pytest.mark.parametrize(
    ("declaration", "capability", "support"),
    CLAIMS,
    ids=[f"{d.id}-{c.value}" for d, c, _ in CLAIMS],
)
def test_a_claimed_capability_has_a_client_and_its_shape_tests(
    declaration: ProviderDeclaration,
    capability: Capability,
    support: Runs,
    respx_mock: respx.MockRouter,
) -> None:
    client = support.client(KEY, None, {})
    # Job and step clients carry the provider id (the script writer has none).
    assert getattr(client, "name", declaration.id) == declaration.id
    assert not respx_mock.calls  # building a client sends nothing
    tests = ROOT / support.tests
    assert tests.is_file(), f"{declaration.id}: {support.tests} does not exist"
    text = tests.read_text()
    module = f"synthora.providers.{declaration.id}"
    assert type(client).__name__ in text or module in text, (
        f"{support.tests} never exercises {type(client).__name__} nor imports {module}"
    )
    assert "respx" in text


def test_the_new_job_providers_run_their_step() -> None:
    video = {d.id for d in runners(Capability.VIDEO_AI)}
    assert {"imagineart", "pixverse", "seedance", "wan", "hailuo", "ltx"} <= video
    assert "editframe" in {d.id for d in runners(Capability.ASSEMBLY)}


def test_remotion_is_key_check_only_with_its_reason() -> None:
    remotion = next(d for d in all_providers() if d.id == "remotion")
    support = remotion.capabilities[Capability.ASSEMBLY]
    assert isinstance(support, KeyCheckOnly)
    assert "no hosted render API" in support.reason
    assert remotion.status == "key_check_only"
    assert not remotion.runs(Capability.ASSEMBLY)
    why = remotion.why_not(Capability.ASSEMBLY)
    assert why is not None and why.startswith("key check only: ")
    assert remotion not in runners(Capability.ASSEMBLY)
