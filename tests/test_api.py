"""The public API is closed: everything it hands out or takes can be named from it."""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable, Iterator

import coc_hashscreen

# Types the public API mentions but callers never need to name, and why.
_INTERNAL: dict[tuple[str, str], str] = {
    # Committee is made by Committee.init or Committee.open, not by its
    # constructor, which takes the already-verified signing key.
    ("Committee", "SigningKey"): "constructor only",
    # Register.update_record's "leave the expiry as it is" default.
    ("Register", "_Keep"): "default-only sentinel",
}


def _classes(hint: object) -> Iterator[type]:
    if isinstance(hint, type):
        yield hint
    # Callable[[A, B], C] gives its parameters as a list.
    args = hint if isinstance(hint, list | tuple) else typing.get_args(hint)
    for arg in args:
        yield from _classes(arg)


def _annotated(obj: object) -> Iterator[Callable[..., object] | type]:
    if not inspect.isclass(obj):
        if callable(obj):
            yield obj
        return
    yield obj  # its fields
    # Methods inherited from our own base classes are part of the API too.
    for base in obj.__mro__:
        if not base.__module__.startswith("coc_hashscreen"):
            continue
        for name, member in vars(base).items():
            if name.startswith("_") and name != "__init__":
                continue
            function = member.fget if isinstance(member, property) else member
            function = getattr(function, "__func__", function)
            if inspect.isfunction(function):
                yield function


def test_every_type_in_a_public_signature_is_exported() -> None:
    exported = {id(getattr(coc_hashscreen, name)) for name in coc_hashscreen.__all__}
    unexported = set()
    for name in coc_hashscreen.__all__:
        for target in _annotated(getattr(coc_hashscreen, name)):
            for hint in typing.get_type_hints(target).values():
                for cls in _classes(hint):
                    if cls.__module__.startswith("coc_hashscreen") and id(cls) not in exported:
                        unexported.add((name, cls.__name__))
    assert unexported == set(_INTERNAL)


def test_public_names_resolve_and_live_in_private_modules() -> None:
    for name in coc_hashscreen.__all__:
        obj = getattr(coc_hashscreen, name)
        module = getattr(obj, "__module__", None)
        if inspect.isclass(obj) or inspect.isfunction(obj):
            assert module is not None
            assert module.split(".")[1].startswith("_"), name
