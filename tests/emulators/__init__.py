"""Emulators for the Google Cloud adapter tests, started on 127.0.0.1 free ports.

Each starter returns a running `Emulator`; tests hold them in session-scoped
fixtures (`tests/emulators/fixtures.py`). A missing emulator install FAILS the
test with the command that installs it (`bash tests/emulators/install.sh`).
"""
