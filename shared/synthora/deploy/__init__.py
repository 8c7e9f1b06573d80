"""Deployment: firebase.json from the manifest, per-function bundles, infra plans."""
