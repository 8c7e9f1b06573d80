"""Names of deployed resources, derived from the project, region and manifest.

One place decides what a function's service account, the media bucket, the
task/scheduler invoker account and a function's URL are called, so staging,
infra reconciliation and the runtime settings agree.
"""

from __future__ import annotations

import hashlib
import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

#: The service account Cloud Tasks and Cloud Scheduler sign OIDC tokens as.
INVOKER_ACCOUNT_ID = "synthora-invoker"
_ACCOUNT_ID_MAX = 30


def account_id_for(function: str) -> str:
    """A valid service-account id (6-30 chars, `[a-z][a-z0-9-]*[a-z0-9]`) for a function."""
    base = "fn-" + re.sub(r"[^a-z0-9]+", "-", function.lower()).strip("-")
    if len(base) <= _ACCOUNT_ID_MAX:
        return base.ljust(6, "0")
    digest = hashlib.sha256(function.encode()).hexdigest()[:6]
    return f"{base[: _ACCOUNT_ID_MAX - 7].rstrip('-')}-{digest}"


class DeployNames(BaseModel):
    """Resource names for one project and region."""

    model_config = ConfigDict(frozen=True)

    project: str = Field(min_length=6, max_length=30)
    region: str = "us-central1"
    public_url: str | None = Field(
        default=None, description="https://<host> of Firebase Hosting; default <project>.web.app"
    )
    media_bucket_name: str | None = None
    time_zone: str = "Etc/UTC"

    @field_validator("project")
    @classmethod
    def _project(cls, value: str) -> str:
        if not re.match(r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$", value):
            raise ValueError("a project id is 6-30 lower-case letters, digits and '-'")
        return value

    @property
    def host(self) -> str:
        return (self.public_url or f"https://{self.project}.web.app").rstrip("/")

    @property
    def media_bucket(self) -> str:
        return self.media_bucket_name or f"{self.project}-synthora-media"

    @property
    def invoker_service_account(self) -> str:
        return f"{INVOKER_ACCOUNT_ID}@{self.project}.iam.gserviceaccount.com"

    def function_service_account(self, function: str) -> str:
        return f"{account_id_for(function)}@{self.project}.iam.gserviceaccount.com"

    @property
    def function_url_template(self) -> str:
        """`SYNTHORA_FUNCTION_URL_TEMPLATE`: `{name}` is the function's deploy name."""
        return f"https://{self.region}-{self.project}.cloudfunctions.net/{{name}}"

    def function_url(self, deploy_name: str) -> str:
        return self.function_url_template.format(name=deploy_name)
