"""The `llmaestro` command. Thin: parse arguments, call the library, print.

This module is the group: what each command needs installed (``NEEDS``), the one-line error
handling, and the attachment of the command groups, one module each: :mod:`.catalog`
(validate, schemas, compile), :mod:`.fmt`, :mod:`.registry` (models, show, providers),
:mod:`.export`, :mod:`.cost` (tokens, cost), :mod:`.imports` (import, report), :mod:`.stats`,
:mod:`.site` and :mod:`.detect`; :mod:`.common` holds what they share.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import sys
import warnings
from collections.abc import Sequence
from typing import Any

import click

from llmaestro._version import __version__
from llmaestro.cli import catalog, cost, detect, export, fmt, imports, registry, site, stats
from llmaestro.cli.common import one_line
from llmaestro.errors import StandardOutputError

#: What each command needs beyond the core install (extras of llmaestro/_optional.py); the
#: others (models, show, providers, stats, cost, export...) read the compiled catalog.
NEEDS: dict[str, tuple[str, ...]] = {
    "validate": ("authoring",),
    "fmt": ("authoring",),
    "schemas": ("authoring",),
    "compile": ("authoring",),
    "import": ("authoring",),
    "report": ("authoring",),
    "detect": ("authoring", "clients"),
    "site": ("site",),
    "tokens": ("tokens",),
}


class _StdoutRaw(io.RawIOBase):
    """File descriptor 1, for :func:`_guard_stdout`: every failed write is a
    :class:`StandardOutputError`."""

    def __init__(self, fd: int) -> None:
        super().__init__()
        self._fd = fd

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def isatty(self) -> bool:
        return os.isatty(self._fd)

    def write(self, data: Any) -> int:
        try:
            return os.write(self._fd, data)
        except OSError as exc:
            raise StandardOutputError(exc.errno, exc.strerror) from None


def _guard_stdout() -> None:
    """Standard output through :class:`_StdoutRaw`, same encoding and buffering, and
    characters it cannot encode written as ``\\u`` escapes (``PYTHONIOENCODING=latin-1``)."""
    out = sys.stdout
    if not isinstance(out, io.TextIOWrapper):
        return
    try:
        fd = out.fileno()
        out.flush()
    except (OSError, ValueError):
        return
    sys.stdout = io.TextIOWrapper(
        io.BufferedWriter(_StdoutRaw(fd)),
        encoding=out.encoding,
        errors="backslashreplace",
        line_buffering=out.line_buffering,
    )


def _settle_stdout() -> None:
    """Whatever standard output still buffers is written now or dropped: after an error was
    reported (a bundle that did not fit `>/dev/full`), the interpreter's last flush must not
    fail again with a traceback-like "Exception ignored" message."""
    out = sys.stdout
    if out is None:
        return
    try:
        out.flush()
    except (OSError, ValueError):
        _drop_stdout()


def _drop_stdout() -> None:
    """Standard output goes to the null device from here on: what it could not take is
    dropped."""
    with contextlib.suppress(OSError, ValueError, io.UnsupportedOperation, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _one_line_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: Any = None,
    line: str | None = None,
) -> None:
    """A warning on the command line: ``llmaestro: warning: MESSAGE``, one line (Python's
    format adds the source line of whatever frame warned, here click's)."""
    del category, filename, lineno, file, line
    _say(f"llmaestro: warning: {str(message).removeprefix('llmaestro: ')}")


def _tolerant_streams() -> None:
    """Standard output and error that cannot encode a character (``PYTHONIOENCODING=latin-1``,
    a C locale) write it as a ``\\u`` escape instead of failing the command."""
    _guard_stdout()
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")


def _describe(exc: BaseException) -> str:
    """What went wrong, for the one error line: an OS error names its file and the reason
    (``No space left on device``), not Python's tuple."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror if exc.filename is None else f"{exc.filename}: {exc.strerror}"
    if isinstance(exc, MemoryError):
        return "out of memory"
    return str(exc) or type(exc).__name__


def _say(message: str) -> None:
    """One line on stderr (:func:`~llmaestro.cli.common.one_line`); nothing when stderr
    itself is gone."""
    with contextlib.suppress(OSError, ValueError):  # no stderr to report on
        click.echo(one_line(message), err=True)


class _Group(click.Group):
    """Every failure is one line on stderr, keys masked and control characters escaped: usage
    errors exit 2 (click's code, without its usage block: ``--help`` shows that), everything
    else 1, never a traceback. A command whose extra is not installed says which
    (`pip install 'llmaestro[...]'`)."""

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        needs = NEEDS.get(name or "")
        if needs and not ctx.resilient_parsing and not {"-h", "--help"} & set(rest):
            from llmaestro._optional import require_extras

            require_extras(f"`llmaestro {name}`", *needs)
        return name, command, rest

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        _tolerant_streams()
        shown = warnings.showwarning
        warnings.showwarning = _one_line_warning
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
            if sys.stdout is None:  # closed (`>&-`): click printed nothing, so the run failed
                _say("llmaestro: error: standard output is closed; nothing could be printed")
                sys.exit(1)
            sys.stdout.flush()  # a full disk (`>/dev/full`) is reported here, not at exit
        except click.UsageError as exc:
            where = exc.ctx.command_path if exc.ctx is not None else "llmaestro"
            hint = f" (see `{where} --help`)" if exc.ctx is not None else ""
            # the echoed value is cut (a 5,000-digit number), the hint kept
            said = one_line(exc.format_message().rstrip("."), limit=300)
            _say(f"{where}: usage error: {said}{hint}")
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            _say(f"llmaestro: error: {exc.format_message()}")
            sys.exit(exc.exit_code)
        except click.Abort:
            _say("llmaestro: interrupted")
            sys.exit(130)
        except StandardOutputError as exc:
            self._output_failed(exc)
        except OSError as exc:  # click's own file handling
            if exc.errno == errno.EPIPE:
                self._output_failed(exc)
            _say(f"llmaestro: error: {_describe(exc)}")
            sys.exit(1)
        finally:
            warnings.showwarning = shown
            _settle_stdout()
        sys.exit(code if isinstance(code, int) else 0)

    @staticmethod
    def _output_failed(exc: OSError) -> None:
        """Standard output refused the text: a closed pipe (``| head``) ends quietly, like
        click; anything else (a full disk) is the one error line."""
        # what could not be written is dropped: the interpreter's last flush must not fail
        # again with a traceback-like "Exception ignored" message
        _drop_stdout()
        if exc.errno != errno.EPIPE:
            _say(f"llmaestro: error: cannot write standard output: {exc.strerror or exc}")
        sys.exit(1)

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:  # pragma: no cover
            _say("llmaestro: interrupted")
            sys.exit(130)
        except StandardOutputError:
            raise  # main() reports it and silences the last flush
        except BrokenPipeError:
            raise  # a closed pipe (`| head`) where standard output is not guarded
        except OSError as exc:
            _say(f"llmaestro: error: {_describe(exc)}")
            sys.exit(1)
        except Exception as exc:
            from llmaestro._optional import from_exception
            from llmaestro.errors import LLMaestroError

            if isinstance(exc, ModuleNotFoundError):  # an optional import deeper down
                exc = from_exception(f"`llmaestro {ctx.invoked_subcommand}`", exc) or exc
            # bad input and a hostile environment (a full disk, an unreadable file, a
            # character the terminal cannot show) are errors; anything else is a bug
            expected = (LLMaestroError, OSError, UnicodeError, MemoryError)
            kind = (
                "error" if isinstance(exc, expected) else f"internal error ({type(exc).__name__})"
            )
            _say(f"llmaestro: {kind}: {_describe(exc)}")
            sys.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="llmaestro")
def main() -> None:
    """llmaestro: the reviewed catalog of LLM models and providers."""


#: The commands of every group module, attached to ``main``.
for _command in (
    *catalog.COMMANDS,
    *registry.COMMANDS,
    *export.COMMANDS,
    cost.tokens,
    cost.cost,
    imports.import_group,
    imports.report,
    stats.stats,
    site.site,
    detect.detect,
    fmt.fmt,
):
    main.add_command(_command)
