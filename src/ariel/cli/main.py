"""The ``ariel`` command: run the server, check a configuration, print the version."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from ariel import REFERENCE_ASTERISK_VERSION, __version__

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ariel", description="A telephony server that speaks the Asterisk REST Interface."
    )
    parser.add_argument(
        "-r", "--remote", action="store_true", help="connect to the running server's console"
    )
    parser.add_argument(
        "-x", "--execute", metavar="COMMAND", help="run one console command and exit (implies -r)"
    )
    parser.add_argument(
        "-C",
        "--config-dir",
        dest="remote_config_dir",
        type=Path,
        help="the running server's configuration directory (to find its control socket)",
    )
    parser.add_argument(
        "-v", "--verbose", dest="remote_verbose", action="count", default=0, help="verbosity"
    )
    sub = parser.add_subparsers(dest="command")
    run = sub.add_parser("run", help="run the server in the foreground")
    run.add_argument(
        "-C",
        "--config-dir",
        type=Path,
        help="directory of Asterisk-syntax .conf files (default: the embedded quick start)",
    )
    run.add_argument("-v", "--verbose", action="count", default=0, help="more log output")
    run.add_argument(
        "--grace-period",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help="how long SIGTERM and 'core stop gracefully' let calls end (default 5)",
    )
    check = sub.add_parser("check-config", help="validate a configuration directory")
    check.add_argument("-C", "--config-dir", type=Path, required=True)
    sub.add_parser("version", help="print the version")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``ariel`` console script."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.remote or args.execute is not None:
        from ariel.cli.console import remote_console

        return remote_console(args.remote_config_dir, args.execute, args.remote_verbose)
    if args.command is None:
        parser.error("a command (run, check-config, version) or -r/-x is required")
    if args.command == "version":
        print(f"Ariel {__version__} (ARI of Asterisk {REFERENCE_ASTERISK_VERSION})")
        return 0
    if args.command == "check-config":
        return _check_config(args.config_dir)
    return _run(args.config_dir, args.verbose, args.grace_period)


def _check_config(directory: Path) -> int:
    from ariel.config import check_config

    if not directory.is_dir():
        print(f"{directory}: not a directory", file=sys.stderr)
        return 2
    diagnostics = check_config(directory)
    errors = 0
    for diag in diagnostics:
        print(str(diag), file=sys.stderr if diag.severity == "error" else sys.stdout)
        errors += diag.severity == "error"
    if errors:
        print(f"{errors} error(s)", file=sys.stderr)
        return 1
    print(f"{directory}: configuration OK")
    return 0


def _run(directory: Path | None, verbosity: int, grace_s: float = 5.0) -> int:
    from ariel._util.log_context import ChannelLogFilter
    from ariel.config import ConfigError, load_config
    from ariel.server import serve

    logging.basicConfig(
        level=logging.DEBUG if verbosity > 4 else logging.INFO,
        format="[%(asctime)s] %(levelname)s %(name)s%(channel_tag)s: %(message)s",
        stream=sys.stderr,
    )
    # Each line a call logs names its channel: "... ariel.verbose.pbx channel=<id>: ...".
    for handler in logging.getLogger().handlers:
        handler.addFilter(ChannelLogFilter())
    if directory is not None and not directory.is_dir():
        print(f"{directory}: not a directory", file=sys.stderr)
        return 2
    try:
        config = load_config(directory)
    except ConfigError as exc:
        for diag in exc.diagnostics:
            print(str(diag), file=sys.stderr)
        return 1
    for warning in config.warnings:
        logging.getLogger("ariel.config").warning("%s", warning)
    return serve(config, on_ready=_print_banner, verbose=verbosity, grace_s=grace_s)


def _print_banner(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()
