"""Synthora: topic in, finished short video out, posted and measured."""

__version__ = "0.1.0"
