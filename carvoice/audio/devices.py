"""Sound devices through sounddevice (PortAudio): listing them and picking one, with clear errors.

`import sounddevice` raises OSError when the PortAudio library is missing; that, and a machine without
microphone or speaker, become an `AudioDeviceError` whose message says what to do. Nothing else in
carvoice needs a device: files and text work without one.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Literal

from carvoice.errors import CarvoiceError

Direction = Literal["input", "output"]


class AudioDeviceError(CarvoiceError):
    """No usable sound device (or no PortAudio at all)."""


@dataclass(frozen=True)
class DeviceInfo:
    index: int
    name: str
    host_api: str
    input_channels: int
    output_channels: int
    default_sample_rate: int
    is_default_input: bool = False
    is_default_output: bool = False

    def channels(self, direction: Direction) -> int:
        return self.input_channels if direction == "input" else self.output_channels


def load_sounddevice() -> ModuleType:
    try:
        import sounddevice
    except OSError as error:
        raise AudioDeviceError(
            f"no audio: the PortAudio library could not be loaded ({error}). Install it (Debian/Ubuntu: "
            "`apt-get install libportaudio2`), or use audio files (`carvoice run FILE.wav`, or `carvoice stt FILE` "
            "for the text alone) and `--out FILE.wav`."
        ) from error
    return sounddevice


def list_devices() -> list[DeviceInfo]:
    """Every device PortAudio knows; an empty list on a machine without sound hardware."""
    sd = load_sounddevice()
    default_input, default_output = _default_indices(sd)
    host_apis = sd.query_hostapis()
    return [
        DeviceInfo(
            index=index,
            name=device["name"],
            host_api=host_apis[device["hostapi"]]["name"],
            input_channels=device["max_input_channels"],
            output_channels=device["max_output_channels"],
            default_sample_rate=int(device["default_samplerate"]),
            is_default_input=index == default_input,
            is_default_output=index == default_output,
        )
        for index, device in enumerate(sd.query_devices())
    ]


def find_device(spec: str | int | None, direction: Direction) -> DeviceInfo:
    """The device `spec` names (an index, or part of a name; None for the system default)."""
    candidates = [device for device in list_devices() if device.channels(direction) > 0]
    noun = "microphone" if direction == "input" else "speaker"
    if not candidates:
        raise AudioDeviceError(
            f"no {noun} found (no {direction} sound device on this machine). "
            + ("Give audio files instead: `carvoice run FILE.wav` (or `carvoice stt FILE` for the text alone)."
               if direction == "input"
               else "Write the audio to a file instead: `--out FILE.wav`.")
        )
    if spec is None or spec == "":
        default = [d for d in candidates if d.is_default_input or d.is_default_output]
        return (default or candidates)[0]
    if isinstance(spec, int) or str(spec).isdigit():
        matches = [d for d in candidates if d.index == int(spec)]
    else:
        matches = [d for d in candidates if str(spec).lower() in d.name.lower()]
    if len(matches) != 1:
        names = "; ".join(f"{d.index}: {d.name}" for d in candidates)
        problem = "matches no" if not matches else "matches more than one"
        raise AudioDeviceError(f"{spec!r} {problem} {noun}. The {noun}s are: {names}")
    return matches[0]


def _default_indices(sd: ModuleType) -> tuple[int, int]:
    default_input, default_output = sd.default.device
    return int(default_input if default_input is not None else -1), int(
        default_output if default_output is not None else -1
    )
