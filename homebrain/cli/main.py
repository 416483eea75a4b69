"""The `homebrain` command."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from homebrain import __version__

CONFIG_SEARCH = (
    "homebrain.yaml",
    "~/.config/homebrain/config.yaml",
    "/etc/homebrain/config.yaml",
    "configs/demo.yaml",
)


def default_config() -> Path:
    """$HOMEBRAIN_CONFIG, else the first of CONFIG_SEARCH that exists (the demo last)."""
    env = os.environ.get("HOMEBRAIN_CONFIG")
    if env:
        return Path(env)
    for candidate in CONFIG_SEARCH:
        path = Path(candidate).expanduser()
        if path.is_file():
            return path
    return Path(CONFIG_SEARCH[0])


def _config_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-c",
        "--config",
        type=Path,
        default=None,
        help="config file (default: $HOMEBRAIN_CONFIG, ./homebrain.yaml, "
        "~/.config/homebrain/config.yaml, /etc/homebrain/config.yaml, ./configs/demo.yaml)",
    )


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="homebrain",
        description="Offline smart-home daemon: understands commands and drives devices over MQTT.",
    )
    parser.add_argument("--version", action="version", version=f"homebrain {__version__}")
    parser.add_argument(
        "-v", "--verbose", action="count", default=0, help="more logging (-vv: debug)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser(
        "run",
        help="run the daemon",
        description="Run the daemon until SIGTERM; SIGHUP reloads the config.",
    )
    _config_arg(p)
    prompt = p.add_mutually_exclusive_group()
    prompt.add_argument(
        "--prompt",
        dest="prompt",
        action="store_true",
        default=None,
        help="read text commands typed on stdin (default: when stdin is a terminal)",
    )
    prompt.add_argument("--no-prompt", dest="prompt", action="store_false", help="never read stdin")

    p = sub.add_parser("say", help="send a text command to the running daemon and print its answer")
    _config_arg(p)
    p.add_argument("text", help='what to say, e.g. "turn on the kitchen light"')
    p.add_argument("--site", help="which site heard it (default: the config's default_site)")
    p.add_argument(
        "--timeout", type=float, default=5.0, help="seconds to wait for the answer (default 5)"
    )
    p.add_argument("--json", action="store_true", help="print the understood intent as JSON too")

    p = sub.add_parser(
        "listen",
        help="hear speech from a WAV file or stdin and print what was heard, understood, done",
        description="Find the utterances in the audio (Silero VAD), recognise them with the "
        "config's speech engine and send the words to the running daemon (devices move), or "
        "with --dry-run understand them here against simulated devices.",
    )
    _config_arg(p)
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--wav", type=Path, help="a WAV file (any rate, width, channels)")
    src.add_argument(
        "--stdin", action="store_true", help="raw little-endian PCM on stdin (see --rate...)"
    )
    p.add_argument("--rate", type=int, default=16000, help="--stdin: sample rate (default 16000)")
    p.add_argument("--channels", type=int, default=1, help="--stdin: channels (default 1)")
    p.add_argument(
        "--width", type=int, default=2, help="--stdin: bytes per sample, 1-4 (default 2)"
    )
    p.add_argument("--site", help="which site heard it (default: the config's default_site)")
    p.add_argument(
        "--dry-run", action="store_true", help="understand here, on simulated devices; send nothing"
    )
    p.add_argument(
        "--timeout", type=float, default=5.0, help="seconds to wait for each answer (default 5)"
    )
    p.add_argument("--json", action="store_true", help="one JSON object per utterance")

    p = sub.add_parser("state", help="print every device's mirrored state")
    _config_arg(p)
    p.add_argument("--json", action="store_true", help="JSON instead of a table")
    p.add_argument(
        "--timeout", type=float, default=3.0, help="seconds to wait for state (default 3)"
    )

    p = sub.add_parser(
        "simulate", help="run simulated devices that behave like the configured ecosystems"
    )
    _config_arg(p)

    p = sub.add_parser("check-config", help="validate a config and print its rooms and devices")
    p.add_argument("file", type=Path, help="the config file")

    p = sub.add_parser("eval", help="run evaluation files (DESIGN.md format) through the pipeline")
    _config_arg(p)
    p.add_argument("files", nargs="+", type=Path, help="evaluation YAML files")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    p.add_argument(
        "--failures", type=int, default=20, help="how many failures to list (default 20)"
    )

    p = sub.add_parser(
        "train",
        help="train, export (int8 LiteRT) and check the understanding model (train extra)",
        description="Generate the corpus (with the config's names), train with early stopping, "
        "export to int8 LiteRT, check parity with PyTorch and evaluate on a held-out split.",
    )
    p.add_argument("-c", "--config", type=Path, default=None, help="add this home's names")
    p.add_argument("--out", type=Path, required=True, help="model bundle directory to write")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--device", choices=("cpu", "cuda"), default="cpu", help="training device")
    p.add_argument("--report", type=Path, help="write report.md, confusion.png, figures.json here")
    p.add_argument("--size", type=int, default=50_000, help="corpus size (default 50000)")
    p.add_argument("--epochs", type=int, default=30, help="most epochs (early stopping)")
    p.add_argument(
        "--members",
        type=_positive_int,
        default=1,
        help="train this many models (seeds SEED, SEED+1, ..., each on its own corpus draw) "
        "and ship their average as one fused graph: steadier on unseen phrasings, N times "
        "the training time and size, a little more inference time (default 1)",
    )
    p.add_argument(
        "--builtin-only",
        action="store_true",
        help="use the config's names but not its custom intents (a model for many homes, "
        "like the shipped one; each home's custom intents are then matched by their templates)",
    )
    p.add_argument(
        "--checkpoint",
        type=Path,
        help="also save the PyTorch weights here (to export the same model again later)",
    )
    p.add_argument("--json", action="store_true", help="print the figures as JSON")

    p = sub.add_parser(
        "camera",
        help="camera tools: snapshot (a frame with landmarks and device marks drawn)",
        description="Calibration help for the cameras of a config.",
    )
    camera = p.add_subparsers(dest="camera_command", metavar="ACTION", required=True)
    q = camera.add_parser(
        "snapshot",
        help="save a frame with the people, hands, zones, device marks and pointing ray drawn",
        description="Grab one frame from a configured camera (or read --image), run the "
        "landmark models and save it with what was found and what the config marks, so "
        "device positions can be placed and checked by pointing at them.",
    )
    _config_arg(q)
    q.add_argument("--camera", help="camera name under vision.cameras (default: the only one)")
    q.add_argument("--out", type=Path, help="image to write (default: snapshot-CAMERA.jpg)")
    q.add_argument("--image", type=Path, help="analyse this picture instead of grabbing one")
    q.add_argument(
        "--timeout", type=float, default=10.0, help="seconds to wait for a frame (default 10)"
    )
    q.add_argument("--json", action="store_true", help="print what was found as JSON")

    p = sub.add_parser("bench", help="measure text → MQTT publish latency through a real broker")
    _config_arg(p)
    p.add_argument("-n", "--count", type=int, default=1000, help="commands to send (default 1000)")
    p.add_argument("--host", help="broker host (default: from the config)")
    p.add_argument("--port", type=int, help="broker port (default: from the config)")
    p.add_argument(
        "--dialogues",
        type=Path,
        action="append",
        metavar="FILE",
        help="instead: run the dialogues of this evaluation file over MQTT and time each turn "
        "(text in → device command received); repeatable",
    )
    p.add_argument(
        "--repeat", type=int, default=1, help="with --dialogues: run the set this many times"
    )
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    return parser


def setup_logging(verbose: int) -> None:
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
        datefmt="%H:%M:%S",
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    config = getattr(args, "config", None) or default_config()
    if args.command == "train":
        config = args.config  # the home's names are optional for training
    if args.command == "run":
        setup_logging(max(args.verbose, 1))
        from homebrain.daemon import run_daemon

        return run_daemon(config, args.prompt)
    setup_logging(args.verbose)
    if args.command == "check-config":
        from homebrain.cli.check import check_config

        return check_config(args.file)
    if args.command == "say":
        from homebrain.cli.say import say

        return say(config, args.text, args.site, args.timeout, args.json)
    if args.command == "listen":
        from homebrain.audio.pcm import PcmFormat
        from homebrain.cli.listen import listen

        fmt = PcmFormat(args.rate, args.width, args.channels)
        return listen(config, args.wav, fmt, args.site, args.dry_run, args.timeout, args.json)
    if args.command == "state":
        from homebrain.cli.state import show_state

        return show_state(config, args.timeout, args.json)
    if args.command == "simulate":
        logging.getLogger("homebrain").setLevel(logging.INFO)
        from homebrain.cli.simulate import simulate

        return simulate(config)
    if args.command == "eval":
        from homebrain.evaluation.cli import run_eval

        return run_eval(config, args.files, as_json=args.json, max_failures=args.failures)
    if args.command == "train":
        from homebrain.training.cli import run_train

        return run_train(
            args.config,
            args.out,
            seed=args.seed,
            device=args.device,
            report=args.report,
            size=args.size,
            epochs=args.epochs,
            members=args.members,
            builtin_only=args.builtin_only,
            checkpoint=args.checkpoint,
            as_json=args.json,
        )
    if args.command == "camera":
        from homebrain.cli.camera import snapshot

        return snapshot(config, args.camera, args.out, args.image, args.timeout, args.json)
    if args.command == "bench" and args.dialogues:
        from homebrain.bench.dialogues import run_dialogue_bench

        return run_dialogue_bench(
            config, args.dialogues, args.repeat, args.host, args.port, args.json
        )
    if args.command == "bench":
        from homebrain.bench.latency import run_bench

        return run_bench(config, args.count, args.host, args.port, args.json)
    return 2


if __name__ == "__main__":
    sys.exit(main())
