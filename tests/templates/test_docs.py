"""docs/templates.md stays in step with the config model and the system templates."""

from __future__ import annotations

import enum
from pathlib import Path

from pydantic import BaseModel

from synthora.templates.config import TemplateConfig
from synthora.templates.system import SYSTEM_TEMPLATES

DOC = Path(__file__).resolve().parents[2] / "docs" / "templates.md"


def _leaves(model: type[BaseModel], prefix: str = "") -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    for name, info in model.model_fields.items():
        ann = info.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            out += _leaves(ann, f"{prefix}{name}.")
        else:
            out.append((f"{prefix}{name}", ann))
    return out


def test_every_field_and_enum_value_is_documented() -> None:
    text = DOC.read_text()
    for path, ann in _leaves(TemplateConfig):
        assert f"`{path}`" in text, path
        if isinstance(ann, type) and issubclass(ann, enum.Enum):
            for member in ann:
                assert f"`{member.value}`" in text, (path, member.value)


def test_every_system_template_is_documented() -> None:
    text = DOC.read_text()
    for template in SYSTEM_TEMPLATES:
        assert f"`{template.id}`" in text and template.name in text
