"""What every online pipeline provider shares: one lazily created HTTP client,
errors turned into `ProviderError`, capped streaming downloads and ffprobe.

Keys only ever travel in request headers (never in URLs), so nothing logged or
kept in an error payload (URLs, response bodies) can contain them.
"""

from __future__ import annotations

import json
import subprocess
from abc import ABC, abstractmethod
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel

from synthora.media import binaries
from synthora.providers.errors import ProviderError, error_from_exception, error_from_response

# Generous read timeout: TTS and render submissions can take tens of seconds.
DEFAULT_TIMEOUT = httpx.Timeout(120.0, connect=10.0)
USER_AGENT = "Synthora/0.1 (+https://github.com/synthora)"

MiB = 1024 * 1024

M = TypeVar("M", bound=BaseModel)


class HttpProvider(ABC):
    """Base for providers that call one HTTP API with the user's key.

    Subclasses set `name`, `default_base_url` and `_auth_headers()`.
    """

    name: str = ""
    default_base_url: str = ""
    timeout: httpx.Timeout = DEFAULT_TIMEOUT

    def __init__(
        self,
        *,
        api_key: str,
        client: httpx.Client | None = None,
        base_url: str | None = None,
    ) -> None:
        if not api_key:
            raise ValueError(f"{self.name}: an API key is required")
        self._api_key = api_key
        self._client = client
        self._owns_client = client is None
        self.base_url = (base_url or self.default_base_url).rstrip("/")

    def __repr__(self) -> str:  # never show the key
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    # ------------------------------------------------------------------ client

    @property
    def client(self) -> httpx.Client:
        """The injected client, or one created on first use (not at construction,
        so building a provider to list or validate it costs nothing)."""
        if self._client is None:
            self._client = httpx.Client(
                timeout=self.timeout,
                follow_redirects=True,
                headers={"User-Agent": USER_AGENT},
            )
        return self._client

    def close(self) -> None:
        """Close the client if this provider created it."""
        if self._client is not None and self._owns_client:
            self._client.close()
            self._client = None

    @abstractmethod
    def _auth_headers(self) -> dict[str, str]:
        """The headers carrying this provider's credential."""

    def url(self, path: str) -> str:
        return f"{self.base_url}/{path.lstrip('/')}"

    # ------------------------------------------------------------------ requests

    def request(
        self,
        method: str,
        url: str,
        *,
        json_body: Any | None = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        data: Mapping[str, Any] | None = None,
        files: Any | None = None,
        auth: bool = True,
    ) -> httpx.Response:
        """One HTTP request; any failure becomes a ProviderError with the payload."""
        merged: dict[str, str] = {"Accept": "application/json"}
        if auth:
            merged.update(self._auth_headers())
        if headers:
            merged.update(headers)
        try:
            response = self.client.request(
                method,
                url,
                json=json_body,
                params=params,
                headers=merged,
                data=data,
                files=files,
                # httpx only strips `Authorization` on a cross-host redirect, not
                # `xi-api-key`/`x-api-key`/`x-goog-api-key`: API calls carrying a key
                # are never redirected automatically.
                follow_redirects=not auth,
            )
        except httpx.HTTPError as exc:
            raise error_from_exception(self.name, exc) from exc
        if response.is_error:
            raise self.error_from_response(response)
        return response

    def error_from_response(self, response: httpx.Response) -> ProviderError:
        """Hook for providers whose error bodies need a better message or code."""
        return error_from_response(self.name, response)

    def json_object(self, response: httpx.Response) -> dict[str, Any]:
        """The response body as a JSON object, or a (not transient) ProviderError."""
        try:
            body = response.json()
        except ValueError as exc:
            raise ProviderError(
                f"{self.name} answered with a body that is not JSON",
                provider=self.name,
                code="invalid_response",
                payload=response.text[:4000],
            ) from exc
        if not isinstance(body, dict):
            raise self.invalid(f"{self.name} answered with JSON that is not an object", body)
        return body

    def invalid(self, message: str, payload: Any) -> ProviderError:
        """A 2xx answer we cannot use: a contract mismatch, retrying will not help."""
        return ProviderError(message, provider=self.name, code="invalid_response", payload=payload)

    def parse(self, model: type[M], body: Any) -> M:
        """Validate a provider answer into our boundary model."""
        from pydantic import ValidationError

        try:
            return model.model_validate(body)
        except ValidationError as exc:
            raise self.invalid(
                f"{self.name} answered in an unexpected shape: {exc.error_count()} problem(s)",
                {"body": body, "errors": json.loads(exc.json())},
            ) from exc

    # ------------------------------------------------------------------ downloads

    def download_file(
        self,
        url: str,
        out_path: Path,
        *,
        max_bytes: int,
        auth: bool = False,
    ) -> Path:
        """Stream `url` to `out_path` without holding it in memory.

        Refuses files above `max_bytes` (declared or actual) with code `too_large`.
        Writes to a temporary name first so a half-written file is never left
        under the final name. `auth` is off by default: result URLs are usually
        pre-signed CDN links that must not receive the user's key; with `auth`,
        redirects are followed by hand and the key is dropped as soon as one
        leaves the original host (httpx itself only strips `Authorization`).
        """
        out_path.parent.mkdir(parents=True, exist_ok=True)
        partial = out_path.with_name(out_path.name + ".part")
        origin = httpx.URL(url).host
        current = url
        try:
            for _ in range(6):
                send_key = auth and httpx.URL(current).host == origin
                headers = self._auth_headers() if send_key else {}
                with self.client.stream(
                    "GET", current, headers=headers, follow_redirects=False
                ) as response:
                    location = response.headers.get("Location")
                    if response.is_redirect and location:
                        current = str(response.url.join(location))
                        continue
                    if response.is_error:
                        response.read()
                        raise self.error_from_response(response)
                    self._write_capped(response, partial, url=url, max_bytes=max_bytes)
                    break
            else:
                raise self.invalid(f"{self.name} download redirected too many times", {"url": url})
        except httpx.HTTPError as exc:
            partial.unlink(missing_ok=True)
            raise error_from_exception(self.name, exc) from exc
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        partial.replace(out_path)
        return out_path

    def _write_capped(
        self, response: httpx.Response, partial: Path, *, url: str, max_bytes: int
    ) -> None:
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            raise self._too_large(url, int(declared), max_bytes)
        written = 0
        with partial.open("wb") as fh:
            for chunk in response.iter_bytes(chunk_size=256 * 1024):
                written += len(chunk)
                if written > max_bytes:
                    raise self._too_large(url, written, max_bytes)
                fh.write(chunk)
        if written == 0:
            raise self.invalid(f"{self.name} returned an empty file", {"url": url})

    def _too_large(self, url: str, size: int, limit: int) -> ProviderError:
        return ProviderError(
            f"{self.name} file is larger than the {limit // MiB} MiB limit",
            provider=self.name,
            code="too_large",
            payload={"url": url, "bytes": size, "limit_bytes": limit},
        )


# --------------------------------------------------------------------------- probing


class MediaProbe(BaseModel):
    """What ffprobe measured in a file."""

    duration_s: float | None = None
    width: int | None = None
    height: int | None = None


def probe(path: Path) -> MediaProbe | None:
    """Measure a media file with ffprobe; None when ffprobe is missing or fails.

    Measuring beats trusting metadata: provider JSON describes what was asked
    for, the file is what we got.
    """
    binary = binaries.ffprobe_path()
    if binary is None:
        return None
    try:
        result = subprocess.run(
            [
                binary,
                "-v",
                "error",
                "-show_entries",
                "format=duration:stream=width,height,codec_type",
                "-of",
                "json",
                str(path),
            ],
            capture_output=True,
            check=False,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if result.returncode != 0:
        return None
    try:
        info = json.loads(result.stdout or b"{}")
    except ValueError:
        return None
    duration: float | None = None
    raw_duration = (info.get("format") or {}).get("duration")
    try:
        duration = float(raw_duration) if raw_duration not in (None, "N/A") else None
    except (TypeError, ValueError):
        duration = None
    width = height = None
    for stream in info.get("streams") or []:
        if stream.get("width") and stream.get("height"):
            width, height = int(stream["width"]), int(stream["height"])
            break
    return MediaProbe(duration_s=duration, width=width, height=height)


def audio_duration(path: Path, *, provider: str) -> float:
    """Duration of an audio file in seconds, measured; ProviderError if unreadable."""
    measured = probe(path)
    if measured is None or not measured.duration_s or measured.duration_s <= 0:
        raise ProviderError(
            f"{provider} audio could not be measured (ffprobe missing or file unreadable)",
            provider=provider,
            code="probe_failed",
            payload={"path": str(path)},
        )
    return measured.duration_s
