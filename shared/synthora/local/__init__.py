"""The local platform: gateway, cron, and function loading for one machine."""
