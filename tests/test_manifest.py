from pathlib import Path

import pytest
from pydantic import ValidationError

from synthora.manifest import Manifest, RetryPolicy, load_manifest
from synthora.settings import REPO_ROOT


def test_project_manifest_loads_and_every_function_has_its_module() -> None:
    manifest = load_manifest(REPO_ROOT / "functions" / "manifest.toml")
    names = {f.name for f in manifest.functions}
    assert {"health", "config", "cleanup_cron", "cleanup_worker"} <= names
    for spec in manifest.functions:
        source = REPO_ROOT / "functions" / spec.name / "main.py"
        assert source.is_file(), f"{spec.name} has no module"
        assert f"def {spec.entry_point}(" in source.read_text()


def test_cloud_tasks_backoff_matches_the_documented_example() -> None:
    # Cloud Tasks docs: min 10 s, max 300 s, 3 doublings -> 10, 20, 40, 80, 160, 240, 300, 300
    policy = RetryPolicy(max_attempts=10, min_backoff_s=10, max_backoff_s=300, max_doublings=3)
    assert [policy.backoff_s(n) for n in range(8)] == [10, 20, 40, 80, 160, 240, 300, 300]


def _manifest(functions: list[dict[str, object]]) -> Manifest:
    return Manifest.model_validate({"queues": {"q": {"name": "q"}}, "functions": functions})


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"name": "fa", "kind": "http", "entry_point": "a"}, "needs a route"),
        ({"name": "fa", "kind": "http", "entry_point": "a", "route": "/other"}, "under /api/v1/"),
        ({"name": "fa", "kind": "task", "entry_point": "a"}, "needs a queue"),
        ({"name": "fa", "kind": "task", "entry_point": "a", "queue": "nope"}, "unknown queue"),
        ({"name": "fa", "kind": "cron", "entry_point": "a", "schedule": "every day"}, "valid cron"),
        (
            {"name": "Bad-Name", "kind": "cron", "entry_point": "a", "schedule": "* * * * *"},
            "snake_case",
        ),
        (
            {
                "name": "fa",
                "kind": "http",
                "entry_point": "a",
                "route": "/api/v1/a",
                "memory": "1GB",
            },
            "256Mi",
        ),
    ],
)
def test_invalid_entries_are_refused_with_a_reason(entry: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        _manifest([entry])


def test_equal_routes_and_duplicates_are_refused_nested_routes_allowed() -> None:
    a = {"name": "fa", "kind": "http", "entry_point": "a", "route": "/api/v1/a"}
    b = {"name": "fb", "kind": "http", "entry_point": "b", "route": "/api/v1/a/b"}
    same = {"name": "fc", "kind": "http", "entry_point": "c", "route": "/api/v1/a"}
    with pytest.raises(ValidationError, match="overlap"):
        _manifest([a, same])
    with pytest.raises(ValidationError, match="duplicate"):
        _manifest([a, dict(a)])
    assert [f.name for f in _manifest([a, b]).functions] == ["fa", "fb"]


def test_invokes_must_name_task_functions(tmp_path: Path) -> None:
    a = {"name": "fa", "kind": "http", "entry_point": "a", "route": "/api/v1/a", "invokes": ["fa"]}
    with pytest.raises(ValidationError, match="not a task function"):
        _manifest([a])
