"""Keep the evaluated static prompt on disk, so a restart restores it in a moment instead of
re-evaluating thousands of tokens (tens of seconds on a small CPU).

A state file is keyed by everything that shapes it: the model file, the prompt's tokens, the context size
and the llama.cpp build. Anything that does not restore cleanly is deleted and evaluated afresh.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
from pathlib import Path


KEEP_STATES = 4  # one per model and prompt in use; older ones are from edited prompts or other models


class PromptCache:
    def __init__(self, folder: Path, keep: int = KEEP_STATES) -> None:
        self.folder = folder
        self.keep = keep

    def path_for(self, model_path: Path, tokens: list[int], context_tokens: int) -> Path:
        import llama_cpp

        stat = model_path.stat()
        identity = f"{model_path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{context_tokens}|{llama_cpp.__version__}"
        digest = hashlib.sha256(identity.encode())
        digest.update(b"".join(t.to_bytes(4, "little") for t in tokens))
        return self.folder / f"{digest.hexdigest()[:32]}.state"

    def restore(self, llm, state_file: Path, tokens: list[int]) -> bool:
        """Load the KV cache for `tokens` into `llm`; False if there is no usable file."""
        import llama_cpp

        if not state_file.is_file():
            return False
        found = (llama_cpp.llama_token * len(tokens))()
        count = ctypes.c_size_t(0)
        loaded = llama_cpp.llama_state_load_file(llm.ctx, str(state_file).encode(), found, len(tokens),
                                                 ctypes.byref(count))
        if not loaded or list(found[: count.value]) != tokens:
            state_file.unlink(missing_ok=True)
            llm.reset()
            return False
        llm.n_tokens = len(tokens)
        llm.input_ids[: len(tokens)] = tokens
        os.utime(state_file)
        return True

    def save(self, llm, state_file: Path, tokens: list[int]) -> None:
        import llama_cpp

        self.folder.mkdir(parents=True, exist_ok=True)
        partial = state_file.with_suffix(f".{os.getpid()}.partial")
        array = (llama_cpp.llama_token * len(tokens))(*tokens)
        if llama_cpp.llama_state_save_file(llm.ctx, str(partial).encode(), array, len(tokens)):
            partial.replace(state_file)
        else:
            partial.unlink(missing_ok=True)
        self._prune()

    def _prune(self) -> None:
        """Drop all but the most recently used states (restoring one counts as use)."""
        states = sorted(self.folder.glob("*.state"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in states[self.keep:]:
            stale.unlink(missing_ok=True)
