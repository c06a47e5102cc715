"""The public API is closed and small: everything it hands out or takes can be named from it."""

from __future__ import annotations

import ast
import inspect
import types
import typing
from collections.abc import Callable, Iterator
from pathlib import Path

import coc_hashscreen
from coc_hashscreen import committee, core, errors, formats, organizer, service

ROLE_PACKAGES: tuple[types.ModuleType, ...] = (core, formats, committee, organizer)
# The service needs its extra (Starlette, uvicorn), so the top level does not
# import it; its public names are held to the same rules.
OPTIONAL_PACKAGES: tuple[types.ModuleType, ...] = (service,)
PUBLIC: tuple[types.ModuleType, ...] = (coc_hashscreen, errors, *ROLE_PACKAGES, *OPTIONAL_PACKAGES)

# Types the public API mentions but callers never need to name, and why.
_INTERNAL: dict[tuple[str, str], str] = {
    # Register opens the database and hands it to its stores; callers reach
    # the stores as register.records, .epochs, .organizers, .reports, .audit
    # and .settings.
    (store, "Database"): "made by Register.create and Register.open"
    for store in (
        "Register",
        "RecordStore",
        "EpochStore",
        "OrganizerStore",
        "ReportStore",
        "AuditLog",
        "SettingsStore",
    )
}
# The signing key and trust file, whose key Committee unlocks on first use.
_INTERNAL[("Committee", "Authority")] = "made by Committee.init and Committee.open"


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


def _exported() -> set[int]:
    return {id(getattr(module, name)) for module in PUBLIC for name in module.__all__}


def test_every_type_in_a_public_signature_is_exported() -> None:
    exported = _exported()
    unexported = set()
    for module in PUBLIC:
        for name in module.__all__:
            for target in _annotated(getattr(module, name)):
                if isinstance(target, types.ModuleType):
                    continue
                for hint in typing.get_type_hints(target).values():
                    for cls in _classes(hint):
                        if cls.__module__.startswith("coc_hashscreen") and id(cls) not in exported:
                            unexported.add((name, cls.__name__))
    assert unexported == set(_INTERNAL)


def test_role_packages_export_from_their_own_private_modules() -> None:
    """A package's public names are defined in it, not re-exported from another role."""
    for package in (*ROLE_PACKAGES, *OPTIONAL_PACKAGES):
        for name in package.__all__:
            obj = getattr(package, name)
            if inspect.isclass(obj) or inspect.isfunction(obj):
                module = obj.__module__.split(".")
                assert module[:2] == package.__name__.split("."), name
                assert module[2].startswith("_"), name


def test_the_top_level_is_small_and_comes_from_the_role_packages() -> None:
    names = set(coc_hashscreen.__all__)
    packages = {p.__name__.rsplit(".", 1)[1] for p in ROLE_PACKAGES}
    assert packages <= names
    assert len(names - packages) <= 20
    for name in names - packages - {"__version__", "errors"}:
        obj = getattr(coc_hashscreen, name)
        assert any(obj is getattr(p, name, None) for p in (*ROLE_PACKAGES, errors)), name


def test_every_error_is_public_in_errors() -> None:
    defined = {
        name
        for name, obj in vars(errors).items()
        if inspect.isclass(obj) and issubclass(obj, errors.CocHashscreenError)
    }
    assert defined == set(errors.__all__)


def test_modules_and_classes_stay_small() -> None:
    """Where a module grows past 600 lines or a class past 400, it holds two concerns."""
    source = Path(coc_hashscreen.__file__).parent
    too_big = []
    for path in source.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if len(text.splitlines()) > 600:
            too_big.append(str(path.relative_to(source)))
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ClassDef) and node.end_lineno - node.lineno >= 400:  # type: ignore[operator]
                too_big.append(f"{path.relative_to(source)}::{node.name}")
    assert too_big == []
