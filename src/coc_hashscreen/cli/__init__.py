"""The ``coc-hashscreen`` command line: a thin layer over the public API."""

from ._main import EXIT_CODES, build_parser, main

__all__ = ["EXIT_CODES", "build_parser", "main"]
