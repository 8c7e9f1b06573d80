"""Deploy bundles: one per manifest function, importable on their own, minimal pinned deps."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from synthora.deploy.naming import DeployNames, account_id_for
from synthora.deploy.stage import (
    PROD_LOCK,
    BundleInfo,
    LockFile,
    StageError,
    deploy_commands,
    main,
    requirements_for,
    stage_all,
)
from synthora.manifest import FunctionSpec, load_manifest
from synthora.settings import REPO_ROOT

MANIFEST = REPO_ROOT / "functions" / "manifest.toml"


@pytest.fixture(scope="module")
def staged(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[BundleInfo]]:
    out = tmp_path_factory.mktemp("stage")
    return out, stage_all(out_dir=out)


@pytest.fixture(scope="module")
def lock() -> LockFile:
    return LockFile.parse(PROD_LOCK.read_text())


def test_one_bundle_per_manifest_function(staged: tuple[Path, list[BundleInfo]]) -> None:
    out, infos = staged
    manifest = load_manifest(MANIFEST)
    assert sorted(p.name for p in out.iterdir()) == sorted(f.name for f in manifest.functions)
    for spec in manifest.functions:
        bundle = out / spec.name
        assert (bundle / "main.py").read_text() == (
            REPO_ROOT / "functions" / spec.name / "main.py"
        ).read_text()
        assert (bundle / "synthora" / "__init__.py").is_file()
        assert (bundle / "synthora" / "py.typed").is_file()
        assert (bundle / "manifest.toml").read_text() == MANIFEST.read_text()
        assert not list(bundle.rglob("__pycache__"))
        assert not list(bundle.rglob("test_*.py")) and not (bundle / "tests").exists()
        info = BundleInfo.model_validate_json((bundle / "bundle.json").read_text())
        assert info.name == spec.name and info.entry_point == spec.entry_point
        assert info.deploy_name == spec.deploy_name and info.runtime == "python311"
        assert "requirements.txt" in info.files and "main.py" in info.files
        assert info.secrets == sorted({"SYNTHORA_MASTER_KEYS", *spec.secrets})
    assert {i.name for i in infos} == {f.name for f in manifest.functions}


def test_requirements_are_the_pinned_closure_of_what_the_function_needs(
    staged: tuple[Path, list[BundleInfo]], lock: LockFile
) -> None:
    out, _ = staged
    lines = (out / "health" / "requirements.txt").read_text().split()
    pins = dict(line.split("==") for line in lines)
    assert pins["functions-framework"] == lock.pins["functions-framework"]
    assert pins["google-cloud-firestore"] == lock.pins["google-cloud-firestore"]
    # transitive dependencies come pinned too, so the build is reproducible
    assert pins["protobuf"] == lock.pins["protobuf"] and "grpcio" in pins and "werkzeug" in pins
    # nothing the function does not need
    for absent in ("openai", "stripe", "pillow", "google-cloud-scheduler", "pytest", "ruff"):
        assert absent not in pins
    assert all(name in lock.pins for name in pins)


def test_requirement_groups_add_their_packages(lock: LockFile) -> None:
    spec = FunctionSpec(
        name="scripts", kind="task", entry_point="scripts", queue="q", requirements=["openai"]
    )
    pins = dict(line.split("==") for line in requirements_for(spec, lock))
    assert pins["openai"] == lock.pins["openai"]
    assert "jiter" in pins  # openai's own dependency, from the lock's graph
    bad = spec.model_copy(update={"requirements": ["tensorflow"]})
    with pytest.raises(StageError, match="unknown requirement group"):
        requirements_for(bad, lock)


def test_media_bundles_install_what_cloud_run_lacks(
    staged: tuple[Path, list[BundleInfo]], lock: LockFile
) -> None:
    # Cloud Run's Python runtime has no system ffmpeg: the media group brings the
    # imageio-ffmpeg wheel (a static ffmpeg), resvg-py for the icons and the music wheel.
    out, infos = staged
    media = [i for i in infos if "media" in i.requirement_groups]
    assert media, "some pipeline function renders media"
    for info in media:
        pins = dict(line.split("==") for line in info.requirements)
        for package in ("imageio-ffmpeg", "resvg-py", "immich-memories-music", "pillow"):
            assert pins[package] == lock.pins[package], (info.name, package)
        # The caption font and the mapped icons travel inside the synthora package.
        assert "synthora/media/fonts/Inter-Bold.ttf" in info.files
        assert "synthora/media/emoji/rocket.svg" in info.files
        assert (out / info.name / "synthora" / "media" / "fonts" / "OFL.txt").is_file()
    health = next(i for i in infos if i.name == "health")
    assert not any(r.startswith(("imageio-ffmpeg==", "resvg-py==")) for r in health.requirements)


_IMPORT_CHECK = """
import json, os, sys
bundle = sys.argv[1]
shared = os.path.join({repo!r}, "shared")
sys.path[:] = [bundle] + [p for p in sys.path if p not in ("", shared, os.getcwd())]
import synthora
assert synthora.__file__.startswith(bundle), synthora.__file__
from functions_framework import create_app
app = create_app(target=sys.argv[2], source=os.path.join(bundle, "main.py"))
client = app.test_client()
response = client.get(sys.argv[3]) if sys.argv[3] != "-" else None
print(json.dumps({{"status": response.status_code if response else None,
                  "body": response.get_json() if response else None}}))
"""


@pytest.mark.parametrize("name", [f.name for f in load_manifest(MANIFEST).functions])
def test_bundle_imports_on_its_own(
    staged: tuple[Path, list[BundleInfo]], name: str, tmp_path: Path
) -> None:
    out, _ = staged
    spec = load_manifest(MANIFEST).function(name)
    probe = spec.route if spec.kind == "http" else "-"
    env = {
        "PATH": "/usr/bin:/bin",
        "SYNTHORA_ENV_FILE": "",
        "SYNTHORA_ENVIRONMENT": "test",
        "SYNTHORA_DATA_DIR": str(tmp_path / "data"),
        "SYNTHORA_MANIFEST_FILE": str(out / name / "manifest.toml"),
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            _IMPORT_CHECK.format(repo=str(REPO_ROOT)),
            str(out / name),
            spec.entry_point,
            probe or "-",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    if spec.name == "health":
        assert report["status"] in (200, 503)  # 503 only when the store is unreachable
        assert set(report["body"]["adapters"]) >= {"documents", "tasks", "blobs"}


def test_deploy_commands(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    names = DeployNames(project="demo-synthora", region="europe-west1")
    manifest = load_manifest(MANIFEST)
    commands = deploy_commands(manifest, names=names, bundle_dir=Path(".stage"))
    by_name = {c[3]: c for c in commands if c[2] == "deploy"}
    health = by_name["health"]
    assert health[:5] == ["gcloud", "functions", "deploy", "health", "--gen2"]
    assert "--source=.stage/health" in health and "--entry-point=health" in health
    assert "--allow-unauthenticated" in health
    assert (
        f"--service-account={account_id_for('health')}@demo-synthora.iam.gserviceaccount.com"
        in health
    )
    assert "--set-secrets=SYNTHORA_MASTER_KEYS=SYNTHORA_MASTER_KEYS:latest" in health
    env = next(a for a in health if a.startswith("--set-env-vars="))
    assert "SYNTHORA_ENVIRONMENT=production" in env and "GOOGLE_CLOUD_PROJECT=demo-synthora" in env
    assert "SYNTHORA_MANIFEST_FILE=/workspace/manifest.toml" in env
    assert (
        "SYNTHORA_TASKS_SERVICE_ACCOUNT=synthora-invoker@demo-synthora.iam.gserviceaccount.com"
        in env
    )
    worker = by_name["cleanup-worker"]
    assert "--no-allow-unauthenticated" in worker and "--timeout=300s" in worker
    assert "--memory=512Mi" in worker
    bindings = [c for c in commands if c[2] == "add-invoker-policy-binding"]
    internal = sorted(f.deploy_name for f in manifest.functions if f.kind != "http")
    assert {"cleanup-cron", "cleanup-worker"} <= set(internal)
    assert sorted(c[3] for c in bindings) == internal
    assert all(
        "--member=serviceAccount:synthora-invoker@demo-synthora.iam.gserviceaccount.com" in c
        for c in bindings
    )

    lines: list[str] = []
    assert (
        main(
            [str(tmp_path / "out"), "--print-deploy-commands", "--project", "demo-synthora"],
            write=lines.append,
        )
        == 0
    )
    assert len(lines) == len(commands)
    assert shlex.split(lines[0])[:4] == ["gcloud", "functions", "deploy", "health"]
    assert (tmp_path / "out" / "health" / "bundle.json").is_file()


def test_stale_bundles_are_removed(tmp_path: Path) -> None:
    (tmp_path / "removed_function").mkdir()
    stage_all(out_dir=tmp_path)
    assert not (tmp_path / "removed_function").exists()


def test_extra_plain_env_and_secret_refusal(tmp_path: Path) -> None:
    lines: list[str] = []
    args = [str(tmp_path), "--print-deploy-commands", "--project", "demo-synthora"]
    assert main([*args, "--env", "SYNTHORA_FIREBASE_API_KEY=AIza-public"], write=lines.append) == 0
    assert all(
        "SYNTHORA_FIREBASE_API_KEY=AIza-public" in line for line in lines if " deploy " in line
    )
    with pytest.raises(SystemExit):
        main([*args, "--env", "SYNTHORA_STRIPE_SECRET_KEY=sk_live_x"], write=lines.append)


def test_cloudbuild_runs_tests_stages_and_deploys_everything() -> None:
    text = (REPO_ROOT / "cloudbuild.yaml").read_text().split("\nsteps:\n", 1)[1]
    order = [
        "make test",
        "-m synthora.deploy.stage .stage",
        "--print-deploy-commands",
        "-m synthora.deploy.infra apply",
        "bash -eu .stage/deploy.sh",
        "--only hosting,firestore:rules,firestore:indexes",
    ]
    positions = [text.index(step) for step in order]
    assert positions == sorted(positions)
    assert "${_PUBLIC_URL:+" not in text  # bash expansions must be escaped as $$ for Cloud Build
