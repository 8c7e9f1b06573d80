"""The video generation pipeline: steps, provider selection, orchestration."""
