"""The spoken test set: the command list is complete and every command has its 16 kHz mono recording."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import soundfile

from carvoice.bench.samples import (
    COMMANDS_FILE, Domain, SampleSetError, load_commands, sample_audio, wav_path,
)

COMMANDS = load_commands()


def test_the_set_covers_every_domain_with_many_phrasings() -> None:
    per_domain = Counter(c.domain for c in COMMANDS)

    assert len(COMMANDS) >= 120
    assert set(per_domain) == set(Domain) and min(per_domain.values()) >= 10
    assert {c.engine for c in COMMANDS} == {"piper", "espeak"}
    assert sum(any(w in c.text.lower() for w in ("please", "could you")) for c in COMMANDS) >= 5
    assert sum(c.text.lower().startswith(("um", "uh")) for c in COMMANDS) >= 4


@pytest.mark.parametrize("command", COMMANDS, ids=[c.id for c in COMMANDS])
def test_every_command_has_a_16k_mono_recording(command) -> None:
    info = soundfile.info(wav_path(command))

    assert (info.samplerate, info.channels, info.subtype) == (16000, 1, "PCM_16")
    assert 0.5 < info.duration < 6.0


def test_the_committed_recordings_stay_small() -> None:
    total = sum(wav_path(c).stat().st_size for c in COMMANDS)

    assert total < 10e6


def test_noisy_variants_are_mixed_at_run_time_and_reproducible() -> None:
    command = COMMANDS[0]

    noisy, again, clean = sample_audio(command, "5db"), sample_audio(command, "5db"), sample_audio(command)

    assert (noisy.samples == again.samples).all() and not (noisy.samples == clean.samples).all()
    with pytest.raises(SampleSetError, match="unknown noise level"):
        sample_audio(command, "3db")


def test_a_broken_command_list_is_a_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "commands.yaml"
    broken.write_text(COMMANDS_FILE.read_text().replace("  domain: climate\n", "  domain: weather\n", 1))

    with pytest.raises(SampleSetError, match="cannot read the command list"):
        load_commands(broken)
