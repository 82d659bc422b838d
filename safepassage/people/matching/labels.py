"""Marking the model's level labels for translation without making the matching package need
Django's settings (benchmarks and the batch run it on its own).

xgettext, which ``makemessages`` runs, finds messages by the name of the function around them,
so a function called ``gettext_noop`` marks them as Django's own does; pages translate them when
they show them.
"""


def gettext_noop(message: str) -> str:
    return message
