"""Starting the service: what is refused before anything listens, and how uvicorn is run."""

from __future__ import annotations

import ast
import inspect
import os
import socket
import sys
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from starlette.applications import Starlette

import coc_hashscreen
from coc_hashscreen import service
from coc_hashscreen.cli import main
from coc_hashscreen.cli._common import EXIT_SETUP
from coc_hashscreen.errors import InputError, KeyFileError, RegisterError
from coc_hashscreen.formats import SEED_FILE, TOKENS_FILE
from coc_hashscreen.service import (
    APP_FACTORY,
    LOGGER_NAME,
    SERVICE_DIR_ENV,
    ServiceConfig,
    app_from_environment,
    check_service_dir,
    create_app,
    default_workers,
    serve,
)

from ..service_harness import make_service_dir


@pytest.fixture
def uvicorn_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, dict[str, Any]]]:
    calls: list[tuple[object, dict[str, Any]]] = []

    def run(app: object, **options: Any) -> None:
        calls.append((app, options))

    monkeypatch.setattr(uvicorn, "run", run)
    # serve() names the directory to its workers in the environment.
    monkeypatch.delenv(SERVICE_DIR_ENV, raising=False)
    return calls


def test_a_seed_file_others_may_read_is_refused_before_anything_listens(
    tmp_path: Path, uvicorn_calls: list[tuple[object, dict[str, Any]]]
) -> None:
    directory = tmp_path / "service"
    make_service_dir(directory)
    (directory / SEED_FILE).chmod(0o644)
    with pytest.raises(KeyFileError, match="chmod 600"):
        check_service_dir(directory)
    with pytest.raises(KeyFileError, match="chmod 600"):
        create_app(directory)
    for workers in (1, 4):
        with pytest.raises(KeyFileError, match="chmod 600"):
            serve(directory, workers=workers)
    assert uvicorn_calls == []


def test_a_missing_seed_file_or_token_database_is_refused(
    tmp_path: Path, uvicorn_calls: list[tuple[object, dict[str, Any]]]
) -> None:
    directory = tmp_path / "service"
    seed = make_service_dir(directory)
    assert check_service_dir(directory) == seed
    (directory / TOKENS_FILE).unlink()
    with pytest.raises(RegisterError, match="no token database"):
        serve(directory)
    (directory / SEED_FILE).unlink()
    with pytest.raises(KeyFileError, match="no service seed file"):
        serve(directory)
    with pytest.raises(KeyFileError, match="no service seed file"):
        serve(tmp_path / "elsewhere")
    assert uvicorn_calls == []
    assert not (directory / TOKENS_FILE).exists()


def test_one_worker_is_served_from_the_application_object(
    tmp_path: Path, uvicorn_calls: list[tuple[object, dict[str, Any]]]
) -> None:
    directory = tmp_path / "service"
    make_service_dir(directory)
    serve(directory, port=9999, workers=1)
    ((app, options),) = uvicorn_calls
    assert isinstance(app, Starlette)
    assert options["factory"] is False
    assert (options["host"], options["port"], options["workers"]) == ("127.0.0.1", 9999, 1)
    # The access log would record the client's address; the Server header the version.
    assert options["access_log"] is False
    assert options["server_header"] is False
    assert options["proxy_headers"] is False
    assert options["lifespan"] == "on"
    assert options["limit_concurrency"] == ServiceConfig(directory).max_concurrency
    assert SERVICE_DIR_ENV not in os.environ


def test_several_workers_build_the_application_from_the_directory_named_in_the_environment(
    tmp_path: Path, uvicorn_calls: list[tuple[object, dict[str, Any]]]
) -> None:
    directory = tmp_path / "service"
    make_service_dir(directory)
    serve(directory, host="0.0.0.0", workers=3)
    ((app, options),) = uvicorn_calls
    assert (app, options["factory"], options["workers"]) == (APP_FACTORY, True, 3)
    assert options["host"] == "0.0.0.0"
    # A path, never the seed.
    assert os.environ[SERVICE_DIR_ENV] == str(directory)
    module, _, name = APP_FACTORY.partition(":")
    assert getattr(sys.modules[module], name) is app_from_environment
    assert isinstance(app_from_environment(), Starlette)


def test_the_factory_needs_the_directory_in_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(SERVICE_DIR_ENV, raising=False)
    with pytest.raises(RegisterError, match=SERVICE_DIR_ENV):
        app_from_environment()


def test_the_default_is_one_worker_per_core_the_process_may_use(
    tmp_path: Path, uvicorn_calls: list[tuple[object, dict[str, Any]]]
) -> None:
    assert default_workers() == len(os.sched_getaffinity(0))
    directory = tmp_path / "service"
    make_service_dir(directory)
    serve(directory)
    ((_, options),) = uvicorn_calls
    assert options["workers"] == default_workers()
    assert ServiceConfig(directory).workers == default_workers()


@pytest.mark.parametrize(
    ("port", "workers", "concurrency"), [(-1, 1, 1), (65536, 1, 1), (80, 0, 1), (80, 1, 0)]
)
def test_impossible_settings_are_refused(port: int, workers: int, concurrency: int) -> None:
    with pytest.raises(InputError):
        ServiceConfig(Path("/nonexistent"), "127.0.0.1", port, workers, concurrency)


def test_the_log_configuration_gives_the_request_lines_and_no_access_log(
    tmp_path: Path, uvicorn_calls: list[tuple[object, dict[str, Any]]]
) -> None:
    directory = tmp_path / "service"
    make_service_dir(directory)
    serve(directory, workers=1)
    ((_, options),) = uvicorn_calls
    config = options["log_config"]
    assert config["loggers"][LOGGER_NAME] == {
        "handlers": ["service"],
        "level": "INFO",
        "propagate": False,
    }
    assert config["handlers"]["service"]["stream"] == "ext://sys.stderr"
    assert config["loggers"]["uvicorn.access"]["handlers"] == []
    assert "access" not in config["handlers"]
    # That logging accepts it, and the lines reach stderr, test_evaluate.py sees.


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_only_the_service_package_imports_the_web_framework() -> None:
    source = Path(coc_hashscreen.__file__).parent
    web = {"starlette", "uvicorn", "anyio", "h11"}
    outside = [
        str(path.relative_to(source))
        for path in source.rglob("*.py")
        if path.parent.name != "service" and _imports(path) & web
    ]
    assert outside == []
    assert "service" not in _imports(source / "__init__.py")


def test_the_service_exports_names_defined_in_its_private_modules() -> None:
    for name in service.__all__:
        obj = getattr(service, name)
        if inspect.isclass(obj) or inspect.isfunction(obj):
            module = obj.__module__.split(".")
            assert module[:2] == ["coc_hashscreen", "service"], name
            assert module[2].startswith("_"), name


# uvicorn's parent process leaves the socket it failed to bind for the collector.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("workers", [1, 2])
def test_a_port_in_use_is_a_one_line_setup_error(
    tmp_path: Path,
    workers: int,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """uvicorn exits with status 3 (our 'bad input') or 1 (our 'a match') when it cannot
    bind: the command line says so in one line, with the setup failure's status."""
    monkeypatch.delenv(SERVICE_DIR_ENV, raising=False)
    make_service_dir(tmp_path / "service")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        argv = ["committee", "serve", os.fspath(tmp_path), "--port", str(port)]
        code = main([*argv, "--workers", str(workers)])
    err = capsys.readouterr().err
    assert code == EXIT_SETUP, err
    assert "Traceback" not in err
    errors = [line for line in err.splitlines() if line.startswith("coc-hashscreen: error")]
    assert len(errors) == 1, err
    assert f"could not start on 127.0.0.1:{port}" in errors[0]
