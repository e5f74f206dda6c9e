"""An email backend for a worker process under test: each message is a file in a folder (the mail
server has it), and the worker can be held right after the Nth message, before it records it.

FAIRWAY_TEST_MAIL_DIR: the folder. FAIRWAY_TEST_MAIL_HOLD_AFTER: hold after this many messages
in the folder (0: never); the backend writes `holding` and waits until the test kills it."""

import os
import time
from collections.abc import Sequence
from pathlib import Path

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        folder = Path(os.environ["FAIRWAY_TEST_MAIL_DIR"])
        hold_after = int(os.environ.get("FAIRWAY_TEST_MAIL_HOLD_AFTER", "0"))
        for message in email_messages:
            count = len(list(folder.glob("*.eml"))) + 1
            (folder / f"{count:03}-{os.getpid()}.eml").write_bytes(message.message().as_bytes())
            if count == hold_after:
                (folder / "holding").write_text(str(os.getpid()))
                while True:  # the test kills this process here (SIGKILL)
                    time.sleep(0.05)
        return len(email_messages)
