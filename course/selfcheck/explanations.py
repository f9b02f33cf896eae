"""Worked explanations of the self-study edition, shown after a right answer or on giving up.

``course publish OUT --self-study`` copies the worked-explanation cells of the solutions
(``metadata.course.explanation = "qN"``) into ``course/selfcheck/explanations/<notebook>.json``
of the edition, **obfuscated**: each text is XORed with a keystream derived from the notebook and
question names and stored as base64.

What this protects, honestly: it keeps a learner from reading an explanation by accident (when
opening the file, searching the folder or scrolling past it), so that they try first. It is not
a secret: the key is derived from public names, and ``check.give_up("qN")`` reveals any
explanation on purpose. Only the instructors' edition (the repository, without ``--self-study``)
has no explanations in it at all.
"""

from __future__ import annotations

import base64
import hashlib
import json
from importlib import resources
from pathlib import Path

FORMAT = "xor-sha256-keystream/base64 (obfuscation against accidental reading, not encryption)"


def explanations_dir() -> Path:
    return Path(str(resources.files("course.selfcheck").joinpath("explanations")))


def _keystream(notebook: str, question: str, length: int) -> bytes:
    seed = f"security-guarantees-course/explanation/{notebook}/{question}".encode()
    blocks, counter = [], 0
    while sum(map(len, blocks)) < length:
        blocks.append(hashlib.sha256(seed + counter.to_bytes(4, "big")).digest())
        counter += 1
    return b"".join(blocks)[:length]


def obfuscate(text: str, notebook: str, question: str) -> str:
    data = text.encode("utf-8")
    mixed = bytes(a ^ b for a, b in zip(data, _keystream(notebook, question, len(data))))
    return base64.b64encode(mixed).decode("ascii")


def reveal(blob: str, notebook: str, question: str) -> str:
    mixed = base64.b64decode(blob.encode("ascii"))
    return bytes(a ^ b for a, b in zip(mixed, _keystream(notebook, question, len(mixed)))).decode("utf-8")


def document(notebook: str, texts: dict[str, str]) -> dict:
    """The explanations file of ``notebook`` from ``{question: markdown}``."""
    return {"notebook": notebook, "format": FORMAT,
            "questions": {q: obfuscate(text, notebook, q) for q, text in sorted(texts.items())}}


def load_explanations(notebook: str, folder: Path | None = None) -> dict[str, str]:
    """``{question: obfuscated text}`` of ``notebook``; empty outside the self-study edition."""
    path = (folder or explanations_dir()) / f"{notebook}.json"
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8")).get("questions", {})
