"""Scratch narration: each beat's sentence spoken by an offline speech engine (espeak-ng).

A video maker times a draft with it before recording a real voice. `Voice` is the hook a
scene's beats call (BeatsMixin.voice): it speaks a sentence into a WAV file (cached by
text, in --out/.nnviz-voice) and says how long it lasts, so the beat holds at least that
long; the beat then adds the sound at its start, and manim mixes it into the video.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path

from nnviz.core.errors import NNVizError
from nnviz.core.files import atomic_path

ENGINE = "espeak-ng"
VOICE_DIR = ".nnviz-voice"  # inside --out: spoken sentences, kept between renders
INSTALL_HINT = ("--narrate needs the speech engine espeak-ng: install it with "
                "'sudo apt-get install espeak-ng' (Debian/Ubuntu), 'brew install espeak-ng' "
                "(macOS) or 'make setup'.")


def check_engine() -> str:
    """The engine's path; one clear line saying how to install it when it is missing."""
    path = shutil.which(ENGINE)
    if path is None:
        raise NNVizError(INSTALL_HINT)
    return path


def wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / float(w.getframerate())


@dataclass(frozen=True)
class Voice:
    """Speaks sentences into WAV files in `folder`: `voice(text)` -> (path, seconds).
    Picklable, so a render job carries it to its worker."""

    folder: Path
    words_per_minute: int = 160
    language: str = "en-us"

    def __call__(self, text: str) -> tuple[str, float]:
        text = " ".join(text.split())
        key = hashlib.sha256(f"{self.language}|{self.words_per_minute}|{text}".encode())
        wav = Path(self.folder) / f"{key.hexdigest()[:20]}.wav"
        if not wav.is_file():
            engine = check_engine()
            with atomic_path(wav, "narration") as tmp:
                proc = subprocess.run([engine, "-v", self.language, "-s",
                                       str(self.words_per_minute), "-w", str(tmp), "--", text],
                                      capture_output=True)
                if proc.returncode != 0 or not tmp.is_file() or tmp.stat().st_size == 0:
                    why = proc.stderr.decode(errors="replace").strip() or "no sound written"
                    raise NNVizError(f"{ENGINE} could not speak '{text[:40]}': {why}.")
        return str(wav), wav_seconds(wav)
