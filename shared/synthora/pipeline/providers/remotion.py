"""Remotion: why Synthora can check a Remotion Lambda key but not render with it.

What we searched (`search`, corpora docs and pages, queries "Remotion Lambda
renderMediaOnLambda serveUrl functionName", "Remotion hosted render API"):

- https://remotion.dev/docs/lambda/faq: "Remotion does not offer a hosted
  rendering solution at this time"; Remotion Lambda runs in the user's own AWS
  account.
- https://remotion.dev/docs/lambda/python and
  https://www.remotion.dev/docs/lambda/rendermediaonlambdaandstream: a render
  is a Lambda invocation that needs a deployed function (`functionName`,
  version-locked to the client: "Requires a deployed function and site or Serve
  URL using the same Remotion version as the client"), a deployed site
  (`serveUrl`, a bundled React project on S3) and a `composition` id inside it.

So there is no public REST API to which Synthora could send a timeline: a
render needs a Remotion project (React code defining the composition) that the
user builds and deploys with the Remotion CLI, plus the function name, region
and site URL, none of which the integration stores (its credential is an AWS
key pair, checked with STS). Synthora ships no Remotion composition, so
Remotion claims no pipeline capability: it stays "key check only" and ranking
never picks it for the assembly step (FFmpeg, Creatomate, Shotstack or
Editframe render instead).
"""

from __future__ import annotations

#: Shown by the catalogue next to a Remotion integration.
KEY_CHECK_ONLY_REASON = (
    "Remotion has no hosted render API: rendering needs a Remotion (React) project "
    "deployed as a site plus a version-matched Lambda function in your AWS account, "
    "and Synthora ships no Remotion composition. The AWS key pair can be checked, "
    "but the assembly step uses another renderer."
)
