"""Distil a small, fast on-board model for the NLU stage (`carvoice train data|fit|export|all`).

- data: templates (phrases.yaml) filled with the car's media library and city map, labelled by construction,
  varied the way drivers talk (variety.py), de-duplicated against intents/eval (dataset.py); optionally
  filtered or relabelled by a teacher model (teacher.py). For another intent pack (`--intents DIR`) the
  templates come from its catalog and its own phrases.yaml (pack_phrases.py), kept away from its eval sets;
- fit: LoRA on a student loaded from its GGUF, with the short prompt it will use at run time (fit.py, encode.py);
- export: a GGUF LoRA adapter for llama.cpp, a recipe folder the NLU stage loads (listing a pack's intents, so
  that the student loads only with its pack), a model card (export.py, run.py, card.py).
"""
