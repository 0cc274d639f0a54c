"""Understanding: the on-board SLM turns a transcript into catalog intents with slots."""
