"""Email bodies from Jinja2 templates (`templates/`): an HTML part and a plain-text part.

Jinja2 is already installed with Flask. The HTML template is autoescaped (a
video title or an error message cannot inject markup); the plain-text one is
not escaped. Both get the same context.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from pydantic import BaseModel

TEMPLATES = Path(__file__).parent / "templates"


class RenderedEmail(BaseModel):
    subject: str
    text: str
    html: str


class NotificationEmailContext(BaseModel):
    app_name: str = "Synthora"
    subject: str
    title: str
    message: str
    action_url: str | None = None
    action_label: str = "Open in Synthora"
    category_label: str
    unsubscribe_url: str
    settings_url: str


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_notification(context: NotificationEmailContext) -> RenderedEmail:
    env = _environment()
    values = context.model_dump()
    return RenderedEmail(
        subject=context.subject,
        text=env.get_template("notification.txt.j2").render(**values),
        html=env.get_template("notification.html.j2").render(**values),
    )


def render_unsubscribe_page(
    *,
    app_name: str,
    category_label: str,
    settings_url: str,
    done: bool,
    action: str,
) -> str:
    """The page an unsubscribe link opens: a confirm button, or the confirmation."""
    return (
        _environment()
        .get_template("unsubscribe.html.j2")
        .render(
            app_name=app_name,
            heading="You are unsubscribed" if done else "Unsubscribe from emails",
            category_label=category_label,
            settings_url=settings_url,
            done=done,
            action=action,
        )
    )
