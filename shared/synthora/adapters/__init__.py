"""The adapters behind the ports (embedded and Google Cloud), built only by the
platform wiring (`synthora.platform`) from its settings."""
