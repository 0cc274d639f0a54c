"""A warm llama.cpp model that completes prompts under the call syntax, fast.

Two things make a turn cheap:
- the static prompt prefix is evaluated once and stays in the KV cache (and on disk, see prompt_cache.py);
  a turn evaluates only its own tokens;
- constrained greedy decoding checks only the few most likely tokens against the syntax (the full vocabulary
  is scanned only when none of them fits), instead of testing every vocabulary token at every step.

Feeding forced continuations without sampling them (jump-forward decoding) was tried and dropped: tokenizers
merge punctuation and name pieces (`(zone`, `="`), so forced text is tokenized in ways the model never saw,
and exact match fell from 64 % to 50-57 % on the evaluation set with the 1.5B model.

Drafting the output ahead and checking the draft in one pass (speculative decoding, drafts from what followed
the same two tokens in earlier outputs) was tried and dropped (2026-12-05, 2-core AMD EPYC with AVX-512, the
default student): half the drafted tokens were kept, which halved the passes (550 for 1,177 output tokens),
but on two cores one pass over 2 / 3 / 4 tokens costs 1.6 / 1.9 / 2.1 times a pass over one (over 4 tokens 2.6
times when it returns the logits of every position, as checking a draft needs), so a turn took longer (p50 242 /
244 against 236 / 224 ms on 200 own cases, alternated), and logits from a batched pass differ slightly from one
token at a time (14 of 200 margins moved, one reading changed).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from carvoice.errors import CarvoiceError
from carvoice.models.gguf_header import check_slm_files
from carvoice.nlu.prompt_cache import PromptCache
from carvoice.nlu.syntax import CallSyntax, State


_PROMPT_SLICE = 64  # tokens evaluated between two looks at the deadline


_Choice = tuple[int | None, str | None, State]  # a token (None: the end), its text, the syntax state after it


class SlmError(CarvoiceError):
    pass


class SlmTimeout(SlmError):
    """The turn ran past `SlmOptions.timeout_s`; its partial output is dropped."""

    def __init__(self, timeout_s: float, output_tokens: int) -> None:
        super().__init__(f"the language model took longer than {timeout_s:g} s to answer "
                         f"(stopped after {output_tokens} output tokens); the turn is dropped")


@dataclass(frozen=True)
class SlmOptions:
    threads: int = 2
    context_tokens: int = 4096
    max_output_tokens: int = 48
    candidates: int = 48  # most likely tokens tried against the syntax before a scan of the vocabulary
    reuse_prefix: bool = True  # False re-evaluates the whole prompt every turn: the naive baseline, for benchmarks
    max_turn_tokens: int = 512  # a spoken command is a few dozen tokens; far more is a runaway transcript
    timeout_s: float | None = None  # the deadline of one turn (prompt and decoding); None waits as long as it takes


@dataclass(frozen=True)
class Completion:
    text: str
    prompt_tokens: int  # evaluated for this turn (the cached prefix not counted)
    output_tokens: int
    prompt_s: float
    decode_s: float
    complete: bool  # False when max_output_tokens ran out before the syntax was satisfied
    margin: float | None = None  # the smallest lead, in logits, of a chosen token over the next one the syntax
    # allowed, when under `fork_below`; None when there was no such close call (or none was looked for)
    alternative: str | None = None  # the output had the runner-up been taken at that closest call


@dataclass(frozen=True)
class _Fork:
    """Where the decoding came closest to another choice: enough to decode that other reading afterwards."""

    lead: float
    kv_tokens: int  # tokens in the KV cache before the choice
    text: str  # the output before the choice
    runner_up: _Choice


class ConstrainedSlm:
    def __init__(self, model_path: Path, options: SlmOptions = SlmOptions(),
                 prompt_cache: PromptCache | None = None, lora_path: Path | None = None) -> None:
        from llama_cpp import Llama

        self.model_path = model_path
        self.options = options
        self.prompt_cache = prompt_cache
        started = time.perf_counter()
        check_slm_files(model_path, lora_path)  # llama.cpp crashes on a damaged file or a mismatched adapter
        try:
            self.llm = Llama(model_path=str(model_path), n_ctx=options.context_tokens, n_batch=512,
                             n_threads=options.threads, n_threads_batch=options.threads, verbose=False,
                             lora_path=str(lora_path) if lora_path is not None else None)
        except (ValueError, RuntimeError) as exc:
            raise SlmError(f"{model_path}: llama.cpp could not load this model ({exc})") from exc
        self.load_s = time.perf_counter() - started
        self.prefix_s = 0.0
        self.prefix_restored = False
        self._prefix: list[int] = []
        self._pieces = [self._decode_piece(token) for token in range(self.n_vocab)]
        self._by_first_char = _index_by_first_char(self._pieces)
        self._end_tokens = {self.llm.token_eos()} | {t for t, piece in enumerate(self._pieces) if piece == ""}

    @property
    def n_vocab(self) -> int:
        return self.llm.n_vocab()

    def tokenize(self, text: str, *, first: bool = False) -> list[int]:
        return self.llm.tokenize(text.encode("utf-8"), add_bos=first, special=False)

    def set_prefix(self, text: str) -> None:
        """Evaluate the static prompt once (or restore it from the prompt cache); later turns start from it."""
        tokens = self.tokenize(text, first=True)
        if len(tokens) + self.options.max_output_tokens + 256 > self.options.context_tokens:
            raise SlmError(f"the prompt prefix has {len(tokens)} tokens, too many for a "
                           f"{self.options.context_tokens}-token context")
        started = time.perf_counter()
        self.llm.reset()
        state_file = self._state_file(tokens)
        self.prefix_restored = state_file is not None and self.prompt_cache.restore(self.llm, state_file, tokens)
        if not self.prefix_restored:
            self.llm.eval(tokens)
            if state_file is not None:
                self.prompt_cache.save(self.llm, state_file, tokens)
        self.prefix_s = time.perf_counter() - started
        self._prefix = tokens

    def _state_file(self, tokens: list[int]) -> Path | None:
        if self.prompt_cache is None:
            return None
        return self.prompt_cache.path_for(self.model_path, tokens, self.options.context_tokens)

    def complete(self, turn_text: str, syntax: CallSyntax, fork_below: float | None = None) -> Completion:
        """The constrained answer to `turn_text`; when a runner-up token came within `fork_below` logits of the
        chosen one, also the reading it would have given with the runner-up at the closest such choice
        (`Completion.margin`, `Completion.alternative`)."""
        if not self._prefix:
            raise SlmError("set_prefix must run before complete")
        started = time.perf_counter()
        deadline = _Deadline(started, self.options.timeout_s)
        turn_tokens = self.tokenize(turn_text)
        self._check_turn_length(len(turn_tokens))
        if self.options.reuse_prefix:
            self.llm.n_tokens = len(self._prefix)  # eval() drops the KV cache beyond this point
        else:
            self.llm.reset()
            turn_tokens = self._prefix + turn_tokens
        self._evaluate(turn_tokens, deadline)
        prompt_done = time.perf_counter()
        text, generated, complete, fork = self._decode(syntax, deadline, State(), "", fork_below)
        margin = fork.lead if fork is not None else None
        alternative = self._alternative(fork, syntax, deadline) if fork is not None else None
        return Completion(text=text, prompt_tokens=len(turn_tokens), output_tokens=generated,
                          prompt_s=prompt_done - started, decode_s=time.perf_counter() - prompt_done,
                          complete=complete, margin=margin, alternative=alternative)

    def _alternative(self, fork: _Fork, syntax: CallSyntax, deadline: _Deadline) -> str | None:
        """The reading with the runner-up taken at `fork`; None when it does not finish."""
        self.llm.n_tokens = fork.kv_tokens  # back to the choice; eval() drops the cache beyond it
        token, piece, state = fork.runner_up
        if token is None or state.phase == "done":
            return fork.text + (piece or "")
        self.llm.eval([token])
        text, _, complete, _ = self._decode(syntax, deadline, state, fork.text + piece, None)
        return text if complete else None

    def _check_turn_length(self, turn_tokens: int) -> None:
        room = self.options.context_tokens - len(self._prefix) - self.options.max_output_tokens
        limit = min(self.options.max_turn_tokens, room)
        if turn_tokens > limit:
            raise SlmError(f"the turn is {turn_tokens} tokens long; at most {limit} are understood in one turn "
                           "(a spoken command is a few dozen)")

    def _evaluate(self, tokens: list[int], deadline: _Deadline) -> None:
        """Feed the prompt in slices when there is a deadline, so that a long one stops at it, not after it."""
        step = _PROMPT_SLICE if deadline.timeout_s is not None else max(len(tokens), 1)
        for start in range(0, len(tokens), step):
            deadline.check(output_tokens=0)
            self.llm.eval(tokens[start : start + step])

    def _decode(self, syntax: CallSyntax, deadline: _Deadline, state: State, text: str, fork_below: float | None
                ) -> tuple[str, int, bool, _Fork | None]:
        """Greedy constrained decoding from `state` and the output so far; also where it came closest to another
        choice, when that was within `fork_below` logits (None: not looked for)."""
        fork = None
        for generated in range(1, self.options.max_output_tokens + 1):
            deadline.check(output_tokens=generated - 1)
            (token, piece, after), runner_up = self._choose(state, syntax, fork_below)
            if runner_up is not None and (fork is None or runner_up[0] < fork.lead):
                fork = _Fork(runner_up[0], self.llm.n_tokens, text, runner_up[1])
            state = after
            if token is None:
                return text, generated, True, fork
            text += piece
            if state.phase == "done":
                return text, generated, True, fork
            self.llm.eval([token])
        return text, self.options.max_output_tokens, False, fork

    def _choose(self, state: State, syntax: CallSyntax, within: float | None
                ) -> tuple[_Choice, tuple[float, _Choice] | None]:
        """The most likely token the syntax allows ((None, None, state) for the end of the output), and the next
        allowed one less than `within` logits behind it, with the lead (None if there is none, or no `within`)."""
        logits = self._last_logits()
        best: _Choice | None = None
        best_logit = 0.0
        for token in _most_likely(logits, self.options.candidates):
            if best is not None and (within is None or best_logit - float(logits[token]) >= within):
                return best, None  # any later token is further behind: no close second reading
            accepted = self._accept(int(token), state, syntax)
            if accepted is None:
                continue
            if best is not None:
                return best, (best_logit - float(logits[token]), accepted)
            best, best_logit = accepted, float(logits[token])
        if best is not None:
            return best, None
        return self._choose_among_all(logits, state, syntax), None

    def _choose_among_all(self, logits: np.ndarray, state: State, syntax: CallSyntax):
        """The slow path: every token whose first character fits, best first (the end tokens included)."""
        allowed = [ids for char, ids in self._by_first_char.items() if syntax.advance(state, char) is not None]
        ends = np.fromiter(self._end_tokens, dtype=np.int64) if syntax.can_end(state) else np.empty(0, np.int64)
        candidates = np.concatenate([*allowed, ends])
        for token in candidates[np.argsort(-logits[candidates])]:
            accepted = self._accept(int(token), state, syntax)
            if accepted is not None:
                return accepted
        raise SlmError("no token fits the output syntax")  # cannot happen: the syntax always has a way on

    def _accept(self, token: int, state: State, syntax: CallSyntax) -> tuple[int | None, str | None, State] | None:
        if token in self._end_tokens:
            return (None, None, state) if syntax.can_end(state) else None
        piece = self._pieces[token]
        if not piece:
            return None
        after = syntax.advance(state, piece)
        return None if after is None else (token, piece, after)

    def _decode_piece(self, token: int) -> str | None:
        try:
            return self.llm.detokenize([token]).decode("utf-8")
        except UnicodeDecodeError:
            return None  # part of a multi-byte character: never needed by the syntax

    def _last_logits(self) -> np.ndarray:
        from llama_cpp import llama_get_logits_ith

        pointer = llama_get_logits_ith(self.llm.ctx, -1)
        return np.ctypeslib.as_array(pointer, shape=(self.n_vocab,))


@dataclass(frozen=True)
class _Deadline:
    started: float
    timeout_s: float | None

    def check(self, output_tokens: int) -> None:
        if self.timeout_s is not None and time.perf_counter() - self.started > self.timeout_s:
            raise SlmTimeout(self.timeout_s, output_tokens)


def _most_likely(logits: np.ndarray, count: int) -> np.ndarray:
    """Token ids of the `count` highest logits, best first."""
    if count >= len(logits):
        return np.argsort(-logits)
    top = np.argpartition(-logits, count)[:count]
    return top[np.argsort(-logits[top])]


def _index_by_first_char(pieces: list[str | None]) -> dict[str, np.ndarray]:
    groups: dict[str, list[int]] = {}
    for token, piece in enumerate(pieces):
        if piece:
            groups.setdefault(piece[0], []).append(token)
    return {char: np.array(ids, dtype=np.int64) for char, ids in groups.items()}
