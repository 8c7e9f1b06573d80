"""Pipeline step task: voice. Idempotent; chains to the next step through the queue."""

import flask
import functions_framework

from synthora.pipeline.function import step_router
from synthora.pipeline.models import Step
from synthora.services.pipeline_services import PIPELINE_SERVICES

router = step_router(Step.voice, services=PIPELINE_SERVICES)


@functions_framework.http
def pipeline_voice(request: flask.Request) -> flask.Response:
    return router(request)
