"""A camera for the daemon: frames that keep coming, whatever the camera does.

USB cameras get unplugged, Wi-Fi cameras drop their stream, a stuck driver hands out
the same picture forever, a plugin returns a gray or odd-sized frame. None of that
should stop the daemon or reach the models: ``CameraReader`` reopens with backoff,
notices a frozen picture, repairs or skips bad frames and keeps to the configured
frame rate, and says in ``status()`` what state the camera is in and why.

It is a plain object, not a thread: the caller decides where it runs (the vision
loop's thread), and tests drive it with their own clock.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

import cv2
import numpy as np
import numpy.typing as npt

from homebrain.vision.sources import FrameSource, FrameSourceError, conform
from homebrain.vision.types import Frame

log = logging.getLogger(__name__)

State = Literal["starting", "ok", "reconnecting", "frozen", "stopped"]

# frames are compared for freezing on every 4th pixel each way: 1/16 of the work
_FROZEN_STEP = 4


@dataclass(frozen=True)
class ReaderStatus:
    """How a camera is doing, for the status topic and the logs.

    ``state``: "starting" (no frame yet), "ok", "reconnecting" (the source failed and
    is being reopened), "frozen" (the picture stopped changing), "stopped" (closed, a
    finite source ended, or an error retrying cannot fix).
    """

    state: State
    frozen: bool
    last_frame_time: float | None  # Frame.time of the last frame handed out
    frames: int  # frames handed out
    errors: int  # failed opens and reads
    skipped: int  # frames dropped as unusable
    last_error: str | None


class CameraReader:
    """Wraps one ``FrameSource``; call ``next_frame()`` (or iterate) from one thread.

    ``frozen_after``: seconds of identical pictures (mean absolute difference under
    ``frozen_epsilon`` grey levels) before the stream counts as frozen; real sensors
    always show some noise, so identical frames mean a stuck driver or stream.
    ``backoff`` doubles after each failed reopen up to ``backoff_max``, and starts
    again from ``backoff`` once frames flow. ``throttle`` keeps a live source to its
    configured fps by dropping early frames (reading them keeps a stream's buffer
    from filling with stale pictures); by default live sources are throttled and
    files are not.
    """

    def __init__(
        self,
        source: FrameSource,
        *,
        frozen_after: float = 10.0,
        frozen_epsilon: float = 0.05,
        backoff: float = 0.5,
        backoff_max: float = 30.0,
        throttle: bool | None = None,
        poll: float = 0.01,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.source = source
        self.settings = source.settings
        self.camera = source.settings.name
        self.frozen_after = frozen_after
        self.frozen_epsilon = frozen_epsilon
        self.backoff = backoff
        self.backoff_max = backoff_max
        self.throttle = source.live if throttle is None else throttle
        self.poll = poll
        self._clock = clock
        self._sleep = sleep

        self._state: State = "starting"
        self._frozen = False
        self._last_frame_time: float | None = None
        self._frames = 0
        self._errors = 0
        self._skipped = 0
        self._last_error: str | None = None

        self._opened = False
        self._retry_at = 0.0
        self._delay = backoff
        self._attempts = 0  # failed opens/reads since frames last flowed
        self._due: float | None = None
        self._reference: npt.NDArray[np.uint8] | None = None
        self._same_since = 0.0
        self._noted: set[str] = set()
        self._wait = 0.0

    def status(self) -> ReaderStatus:
        return ReaderStatus(
            state=self._state,
            frozen=self._frozen,
            last_frame_time=self._last_frame_time,
            frames=self._frames,
            errors=self._errors,
            skipped=self._skipped,
            last_error=self._last_error,
        )

    def close(self) -> None:
        """Release the camera; ``next_frame`` returns None from now on."""
        self._release()
        self._state = "stopped"

    def __enter__(self) -> CameraReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __iter__(self) -> Iterator[Frame]:
        """Frames until the reader stops (closed, source ended, permanent error)."""
        while self._state != "stopped":
            frame = self.next_frame()
            if frame is not None:
                yield frame

    def next_frame(self, timeout: float | None = None) -> Frame | None:
        """The next good frame, or None when ``timeout`` seconds pass without one (None:
        wait as long as it takes) or when the reader has stopped. Never raises: every
        failure is logged and shows in ``status()``."""
        deadline = None if timeout is None else self._clock() + timeout
        while self._state != "stopped":
            self._wait = 0.0
            try:
                frame = self._step()
            except Exception as exc:  # a bug in a plugin must not take the daemon down
                log.exception("camera %s: unexpected error", self.camera)
                self._fail(f"camera {self.camera}: unexpected {type(exc).__name__}: {exc}")
                frame = None
            if frame is not None:
                return frame
            if self._state == "stopped":
                break
            now = self._clock()
            if deadline is not None and now >= deadline:
                return None
            wait = self._wait if deadline is None else min(self._wait, deadline - now)
            if wait > 0:
                self._sleep(wait)
        return None

    def _step(self) -> Frame | None:
        """One attempt at a frame; sets ``_wait`` to how long to wait before the next."""
        now = self._clock()
        if not self._opened:
            if now < self._retry_at:
                self._wait = self._retry_at - now
                return None
            try:
                self.source.open()
            except Exception as exc:
                self._fail(_reason(self.camera, exc), permanent=_permanent(exc))
                return None
            self._opened = True
            if self._attempts:
                log.info("camera %s: reopened after %d failed tries", self.camera, self._attempts)
        try:
            frame = self.source.read()
        except Exception as exc:
            self._fail(_reason(self.camera, exc), permanent=_permanent(exc))
            return None
        if frame is None:
            if self.source.ended:
                log.info("camera %s: source ended after %d frames", self.camera, self._frames)
                self.close()
            else:
                self._wait = self.poll
            return None
        now = self._clock()
        if self.throttle and not self._due_now(now):
            return None
        checked = self._check(frame)
        if checked is None or self._is_frozen(checked.image, now):
            return None
        self._frames += 1
        self._last_frame_time = checked.time
        self._state = "ok"
        self._attempts = 0
        self._delay = self.backoff
        return checked

    def _due_now(self, now: float) -> bool:
        """Whether a live frame arriving now is kept, at the configured rate."""
        period = 1.0 / self.settings.fps
        if self._due is not None and now < self._due - period / 4:  # early: drop it
            return False
        # a stall (a slow consumer, a reconnect) restarts the schedule, no catching up
        due = now if self._due is None else self._due
        self._due = max(due + period, now + period / 2)
        return True

    def _check(self, frame: object) -> Frame | None:
        """The frame as RGB uint8 at the configured size, or None if it is no picture."""
        if not isinstance(frame, Frame):
            self._skip(f"source returned {type(frame).__name__}, not a Frame")
            return None
        image, notes = conform(frame.image, self.settings.width, self.settings.height)
        if image is None:
            self._skip(f"unusable frame ({'; '.join(notes)})")
            return None
        if notes:
            self._note(f"fixed frames: {', '.join(notes)}")
        # numbered by the reader, so the count runs on across reopens
        return Frame(self.camera, image, frame.time, self._frames)

    def _is_frozen(self, image: npt.NDArray[np.uint8], now: float) -> bool:
        """Whether to hold back this frame as part of a frozen stream (reopening it)."""
        small = image[::_FROZEN_STEP, ::_FROZEN_STEP]
        same = (
            self._reference is not None
            and self._reference.shape == small.shape
            and cv2.norm(small, self._reference, cv2.NORM_L1) / small.size < self.frozen_epsilon
        )
        if not same:
            self._reference = small.copy()
            self._same_since = now
            if self._frozen:
                log.info("camera %s: the picture changes again", self.camera)
                self._frozen = False
            return False
        if now - self._same_since >= self.frozen_after:
            if not self._frozen:
                self._frozen = True
                self._last_error = (
                    f"camera {self.camera}: picture unchanged for {now - self._same_since:.0f} s"
                )
                log.warning("%s; reopening the source", self._last_error)
            else:
                log.debug("camera %s: still frozen, reopening again", self.camera)
            self._state = "frozen"
            self._same_since = now  # the next reopen after another frozen_after
            self._release()
            self._retry_at = now
            return True
        if self._frozen:  # a picture from a stream known to be frozen is stale
            self._state = "frozen"
            return True
        return False

    def _fail(self, reason: str, *, permanent: bool = False) -> None:
        self._errors += 1
        self._last_error = reason
        self._release()
        if permanent:
            log.error("%s; giving up on this camera", reason)
            self._state = "stopped"
            return
        self._attempts += 1
        delay = self._delay
        self._delay = min(self._delay * 2, self.backoff_max)
        self._retry_at = self._clock() + delay
        self._state = "reconnecting"
        log.warning("%s; retrying in %.1f s (try %d)", reason, delay, self._attempts)

    def _release(self) -> None:
        self._opened = False
        self._due = None
        try:
            self.source.close()
        except Exception as exc:
            log.debug("camera %s: close failed: %s", self.camera, exc)

    def _skip(self, message: str) -> None:
        self._skipped += 1
        self._note(message)

    def _note(self, message: str) -> None:
        """A frame problem: a warning the first time, then quietly (it repeats per frame)."""
        if message in self._noted:
            log.debug("camera %s: %s", self.camera, message)
        else:
            self._noted.add(message)
            log.warning("camera %s: %s", self.camera, message)


def _reason(camera: str, exc: BaseException) -> str:
    if isinstance(exc, FrameSourceError):
        return str(exc)
    return f"camera {camera}: {type(exc).__name__}: {exc}"


def _permanent(exc: BaseException) -> bool:
    return isinstance(exc, FrameSourceError) and exc.permanent
