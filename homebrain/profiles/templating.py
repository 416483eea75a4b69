"""The Jinja2 dialect of profile files: sandboxed, strict, and type-preserving.

Profiles (and users' own template devices) are data from outside the program,
so templates run in Jinja's immutable sandbox. Undefined names raise instead of
rendering as empty text: a missing JSON key in a state message must read as
"field absent", never as an empty value that looks valid.

A template that is exactly one ``{{ expression }}`` yields the expression's own
value (a number stays a number inside a JSON payload); anything else renders as
text. That rule avoids Jinja's NativeEnvironment, which would re-parse text and
turn a friendly name such as ``0x12ab`` into a number.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

import jinja2
from jinja2 import meta
from jinja2.sandbox import ImmutableSandboxedEnvironment

from homebrain.profiles import colors


class FilterError(ValueError):
    """A filter met a value it cannot use: a wrong-typed payload, an unknown colour."""


def require(value: Any) -> Any:
    """Raise jinja2's UndefinedError for an undefined value, so "missing" stays distinguishable."""
    if isinstance(value, jinja2.Undefined):
        str(value)  # StrictUndefined raises here, naming what was missing
        raise jinja2.UndefinedError("a value is undefined")
    return value


def to_number(value: Any) -> int | float:
    """A strict number: Jinja's own ``int`` filter turns garbage into 0, which would pass."""
    value = require(value)
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise FilterError(f"expected a number, got {value!r}")
    number: int | float
    if isinstance(value, str):
        text = value.strip()
        try:
            number = int(text)
        except ValueError:
            try:
                number = float(text)
            except ValueError:
                raise FilterError(f"expected a number, got {value!r}") from None
    else:
        number = value
    if isinstance(number, float) and not math.isfinite(number):
        raise FilterError(f"expected a finite number, got {value!r}")
    return number


def scale(value: Any, from_max: float, to_max: float) -> int:
    """Rescale 0..from_max to 0..to_max, rounding half up (Z2M 0-254, HA 0-255 brightness)."""
    return math.floor(to_number(value) * to_max / from_max + 0.5)


_MISSING = object()


def lookup(value: Any, table: Mapping[Any, Any], default: Any = _MISSING) -> Any:
    """Translate a word through a table; an unknown word is an error unless a default is given."""
    value = require(value)
    if not isinstance(value, dict | list) and value in table:
        return table[value]
    if isinstance(value, str):
        for key, mapped in table.items():
            if isinstance(key, str) and key.casefold() == value.strip().casefold():
                return mapped
    if default is not _MISSING:
        return default
    expected = ", ".join(repr(k) for k in table)
    raise FilterError(f"unexpected {value!r}; expected one of {expected}")


def _color(fn: Callable[..., Any]) -> Callable[..., Any]:
    def wrapped(value: Any, *args: Any) -> Any:
        value = require(value)
        try:
            return fn(value, *args)
        except ValueError as exc:
            raise FilterError(str(exc)) from None

    return wrapped


def _color_hex(value: Any, prefix: str = "#") -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected a colour name, got {value!r}")
    return colors.hex_of(value, prefix)


def _color_rgb(value: Any) -> list[int]:
    if not isinstance(value, str):
        raise ValueError(f"expected a colour name, got {value!r}")
    return list(colors.rgb_of(value))


def _color_xy(value: Any) -> dict[str, float]:
    if not isinstance(value, str):
        raise ValueError(f"expected a colour name, got {value!r}")
    return colors.xy_of(value)


def to_json(value: Any) -> str:
    """Compact JSON, unlike Jinja's HTML-escaping ``tojson``: payloads are not web pages."""
    return json.dumps(require(value), separators=(",", ":"), ensure_ascii=False)


@jinja2.pass_context
def render(context: jinja2.runtime.Context, source: Any) -> str:
    """Render a device's own template (e.g. a template device's command_template) in place."""
    source = require(source)
    if not isinstance(source, str):
        raise FilterError(f"expected a template, got {source!r}")
    return _user_template(source).render(context.get_all())


def _make_env() -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(
        undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True
    )
    env.filters.update(
        number=to_number,
        scale=scale,
        lookup=lookup,
        color_hex=_color(_color_hex),
        color_rgb=_color(_color_rgb),
        color_xy=_color(_color_xy),
        color_name=_color(colors.name_of),
        tojson=to_json,
        render=render,
    )
    return env


ENV = _make_env()
GLOBAL_NAMES = frozenset(ENV.globals)


@lru_cache(maxsize=512)
def _user_template(source: str) -> jinja2.Template:
    return ENV.from_string(source)


def check_syntax(source: str) -> str | None:
    """None when the text is a valid template, else the reason (for config checks)."""
    try:
        ENV.parse(source)
    except jinja2.TemplateSyntaxError as exc:
        return f"invalid template: {exc.message} (line {exc.lineno})"
    return None


_SINGLE = re.compile(r"^\{\{[-+]?(?P<body>.*?)[-+]?\}\}$", re.S)


@dataclass(frozen=True)
class Template:
    """One checked template string and the free names it reads.

    Syntax and names are checked when a profile loads; Python code is generated on
    first use, and only what is needed: nothing for plain text, the expression alone
    for a lone ``{{ expression }}`` (its text is ``str(value)``, as Jinja prints it).
    Profiles hold hundreds of templates and most devices use few of them.
    """

    source: str
    names: frozenset[str]
    kind: str  # "text" | "expression" | "template"
    _tree: Any = field(default=None, repr=False, compare=False)

    @cached_property
    def _compiled(self) -> Any:
        if self.kind == "expression":
            body = _SINGLE.match(self.source).group("body")  # type: ignore[union-attr]
            return ENV.compile_expression(body, undefined_to_none=False)
        return ENV.from_string(self._tree)

    def text(self, context: Mapping[str, Any]) -> str:
        if self.kind == "text":
            return self.source
        if self.kind == "expression":
            return str(self.value(context))
        return str(self._compiled.render(context))

    def value(self, context: Mapping[str, Any]) -> Any:
        """The expression's value when the template is one expression, else the text."""
        if self.kind != "expression":
            return self.text(context)
        return require(self._compiled(**context))


_MARKS = ("{{", "}}", "{%", "%}", "{#")


@lru_cache(maxsize=4096)
def compile_template(source: str) -> Template:
    """Check once (profiles repeat many templates); raises jinja2.TemplateSyntaxError."""
    tree = ENV.parse(source)
    names = frozenset(meta.find_undeclared_variables(tree)) - GLOBAL_NAMES
    if not any(mark in source for mark in _MARKS):
        return Template(source, names, "text")
    match = _SINGLE.match(source)
    if match and not any(mark in match.group("body") for mark in _MARKS):
        return Template(source, names, "expression")
    return Template(source, names, "template", tree)
