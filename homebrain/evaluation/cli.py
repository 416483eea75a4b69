"""`homebrain eval --config FILE TESTS.yaml...`: DESIGN.md's evaluation files, run for real.

Exit status: 0 when every sentence and dialogue passed, 1 when some failed,
2 when the config or an evaluation file is unusable (every problem printed on
stderr, naming the file, line and test) or the pipeline cannot be set up at all.
A crash of the pipeline on one sentence is that sentence's failure, not the run's.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from homebrain.cli.common import console as make_console
from homebrain.config.loader import ConfigError, LoadedConfig, load_config
from homebrain.evaluation.files import (
    EvalFile,
    EvalFileError,
    check_against_config,
    load_eval_files,
)
from homebrain.evaluation.report import print_json, print_report
from homebrain.evaluation.runner import EvalReport, EvalRunner

log = logging.getLogger("homebrain.evaluation")


def load_checked_or_report(files: list[Path], loaded: LoadedConfig) -> list[EvalFile] | None:
    """The evaluation files (each once), checked against the config; None after printing
    every problem on stderr (for `homebrain eval` and `homebrain bench --dialogues`)."""
    try:
        eval_files = load_eval_files(list(dict.fromkeys(files)))
    except EvalFileError as exc:
        print(exc, file=sys.stderr)
        return None
    problems = check_against_config(eval_files, loaded)
    if problems:
        print(EvalFileError(problems), file=sys.stderr)
        return None
    return eval_files


def run_eval(config: Path, files: list[Path], as_json: bool = False, max_failures: int = 20) -> int:
    try:
        loaded = load_config(config)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    eval_files = load_checked_or_report(files, loaded)
    if eval_files is None:
        return 2

    runner = EvalRunner(loaded)
    errors = Console(stderr=True)
    total = sum(f.sentence_count + len(f.dialogues) for f in eval_files)
    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=errors,
        transient=True,
        disable=as_json or not errors.is_terminal,
    ) as progress:
        task = progress.add_task("evaluating", total=total)
        reports = []
        try:
            for eval_file in eval_files:
                progress.update(task, description=str(eval_file.path))
                reports.append(runner.run_file(eval_file, lambda n: progress.advance(task, n)))
        except Exception as exc:  # the pipeline or simulator cannot even be set up
            log.debug("evaluation set-up failed", exc_info=True)
            print(
                f"{config}: cannot set up the pipeline and simulated devices: "
                f"{type(exc).__name__}: {exc} (run with -vv for the traceback)",
                file=sys.stderr,
            )
            return 2
    report = EvalReport(reports)
    if as_json:
        print_json(report)
    else:
        print_report(report, make_console(), max_failures)
    return 0 if report.passed else 1
