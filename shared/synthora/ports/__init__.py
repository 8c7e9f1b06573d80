"""Ports: the interfaces every cloud service is reached through.

Each port has an embedded adapter (the local default) and a Google Cloud
adapter; `synthora.platform` chooses between them from settings.
"""
