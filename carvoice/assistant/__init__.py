"""The assistant as every front end and benchmark drives it: models loaded once (`startup.py`), conversations
on a car (`assistant.py`, `conversation.py`), where replies are heard (`reply_audio.py`), and an interactive
session's turn queue and microphone loops (`session.py`, `listening.py`).

    from carvoice.assistant.startup import load_assistant
    conversation = load_assistant(load_settings(), speech_in=False).converse()
    print(conversation.text("turn on the A/C").reply)

The package imports nothing itself, so a front end loads the models' libraries only when it needs them.
"""
