"""The report's record of each model's files: a shipped adapter names its base's file and its own."""

from carvoice.assistant.startup import resolve_model
from carvoice.bench.report.environment import model_info
from carvoice.config import builtin_catalog
from carvoice.models import Role
from carvoice.models.pull import sha256_of

ADAPTER = "qwen2.5-coder-0.5b-carvoice"


def test_a_shipped_adapter_lists_its_base_file_and_its_adapter_file(settings):
    entry = builtin_catalog().get(ADAPTER)
    base = builtin_catalog().get(entry.base)
    info = model_info(resolve_model(settings, Role.SLM, ADAPTER))
    assert [f.name for f in info.files] == [*(f.name for f in base.files), entry.adapter_path.name]
    assert info.files[0].sha256 == base.files[0].sha256
    assert info.files[-1].sha256 == sha256_of(entry.adapter_path)
    assert info.files[-1].size == entry.adapter_path.stat().st_size
