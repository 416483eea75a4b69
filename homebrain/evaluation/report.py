"""Print an evaluation: a summary table per file and overall, then the first failures."""

from __future__ import annotations

import json
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from homebrain.evaluation.runner import EvalReport, Stats, TurnRecord


def _percent(value: float) -> str:
    return f"{value * 100:.1f}%"


def _row(name: str, stats: Stats) -> list[str]:
    data = stats.to_json()
    dialogues = f"{data['dialogues_passed']}/{data['dialogues']}" if data["dialogues"] else "-"
    ood = _percent(data["ood_false_action_rate"]) if stats.ood else "-"
    sentences = data["sentences"]
    return [
        name,
        str(sentences),
        _percent(data["exact_match"]) if sentences else "-",
        _percent(data["intent_accuracy"]) if sentences else "-",
        ood,
        dialogues,
        f"{data['latency_ms']['p50']:.1f}/{data['latency_ms']['p99']:.1f}",
    ]


def summary_table(report: EvalReport, width: int = 100) -> Table:
    table = Table(
        title="Evaluation",
        caption="exact: exact match · intent: intent accuracy · OOD: expect-none sentences "
        "that commanded something · latency: p50/p99 of each turn",
        box=box.SIMPLE_HEAVY,
        pad_edge=False,
        collapse_padding=True,
    )
    longest = max((len(r.path) for r in report.files), default=7)
    # the figures need ~58 columns; the file names fold into what is left
    table.add_column("file", overflow="fold", min_width=max(8, min(longest, width - 58)))
    for column in ("sentences", "exact", "intent", "OOD", "dialogues", "latency ms"):
        table.add_column(column, justify="right", no_wrap=True)
    for file_report in report.files:
        style = None if file_report.stats.passed else "red"
        table.add_row(*_row(file_report.path, file_report.stats), style=style)
    overall = report.overall
    table.add_section()
    table.add_row(*_row("overall", overall), style="bold" if overall.passed else "bold red")
    return table


def _short(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def failure_text(record: TurnRecord) -> Text:
    """One failure: where, what was said, expected, what happened (with the spoken answer)."""
    text = Text()
    where = f"{record.file}:{record.line}" if record.line else record.file
    text.append(where, style="bold")
    if record.dialogue is not None:
        text.append(f"  dialogue {record.dialogue!r}, turn {record.turn}")
    else:
        text.append(f"  {record.where}")
    if record.context:
        text.append(f"  context {_short(record.context)}", style="dim")
    text.append("\n  said:     ")
    if record.audio is not None:
        text.append(f"(audio) {record.audio}")
    else:
        text.append(repr(record.say), style="cyan")
    text.append("\n  expected: ")
    text.append(_short(record.expect.to_json()), style="green")
    text.append("\n  got:      ")
    if record.result is None:
        text.append(record.verdict.reason, style="red")
        return text
    got = record.got_json()
    shown = f"{got['outcome']} {_short(got['commands'])}" if got["commands"] else got["outcome"]
    for action in got.get("actions", []):
        shown += f"  {action['topic']} {_short(action['payload'])}"
    if got["intent"]:
        shown += f"  (intent {got['intent']}"
        shown += f" {_short(got['slots'])})" if got["slots"] else ")"
    text.append(shown, style="red")
    text.append("\n  response: ")
    text.append(repr(got["response"]))
    if record.verdict.reason:
        text.append("\n  why:      ")
        text.append(record.verdict.reason, style="yellow")
    return text


def print_report(report: EvalReport, console: Console, max_failures: int) -> None:
    console.print(summary_table(report, console.width))
    failures = report.failures
    shown = failures[: max(max_failures, 0)]
    if shown:
        console.print(Text(f"\nFailures ({len(failures)}):", style="bold red"))
        for record in shown:
            console.print(failure_text(record))
        if len(failures) > len(shown):
            console.print(
                Text(
                    f"... and {len(failures) - len(shown)} more (--failures N to list more, "
                    "--json for all)",
                    style="dim",
                )
            )
    overall = report.overall
    verdict = Text("\n")
    if report.passed:
        verdict.append("All passed", style="bold green")
    else:
        verdict.append("Some tests failed", style="bold red")
    verdict.append(
        f": {overall.exact}/{overall.sentences} sentences, "
        f"{overall.dialogues_passed}/{overall.dialogues} dialogues."
    )
    console.print(verdict)


def print_json(report: EvalReport) -> None:
    print(json.dumps(report.to_json(), indent=2, ensure_ascii=False, default=str))
