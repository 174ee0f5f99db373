"""One self-contained HTML feedback file per student, to upload to an LMS.

``nbgrader generate_feedback`` writes ``feedback/<student>/<assignment>/*.html``
beside copies of the assignment's files, and the pages load the figures from
those copies (``images/...``) and MathJax from a CDN. Uploaded alone to an LMS,
such a page shows broken images. This module writes ``<student>.html`` with every
figure embedded as a data URI and no reference to another file or host. It serves
submissions that reached the course without the exchange (by hand, or from an LMS
zip through ``nbgrader zip_collect``), and any other class too.

Only images inside the student's own feedback directory are embedded, so a
student's markdown cannot pull a course file (a ``../../gradebook.db``) into it.
"""

import base64
import html
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from .exchange import step_directory

log = logging.getLogger(__name__)

IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
}
IMG_SRC = re.compile(
    r"""(<img\b[^>]*?\bsrc=)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL
)
EXTERNAL_SCRIPT = re.compile(
    r"""<script\b[^>]*\bsrc=["'][^"']*["'][^>]*>\s*</script>""", re.IGNORECASE
)
BODY = re.compile(r"<body[^>]*>(.*)</body>", re.IGNORECASE | re.DOTALL)
REMOTE = ("http:", "https:", "data:", "//")


def _inline_image(match, directory, label):
    prefix, quote, source = match.groups()
    target = html.unescape(source)
    if target.startswith(REMOTE):
        return match.group(0)
    path = (directory / target.split("?")[0].split("#")[0]).resolve()
    kind = IMAGE_TYPES.get(path.suffix.lower())
    if (
        kind is None
        or not path.is_relative_to(directory.resolve())
        or not path.is_file()
    ):
        log.warning(
            "%s: image %r not embedded (not an image of its feedback)", label, target
        )
        return (
            f"{prefix}{quote}{quote} data-missing={quote}{html.escape(target)}{quote}"
        )
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f"{prefix}{quote}data:{kind};base64,{data}{quote}"


def self_contained(page, label):
    """Return feedback page ``page`` with its images embedded and no remote scripts.

    Formulas then show as TeX source. ``label`` names the student and assignment
    in log lines.
    """
    text = page.read_text(encoding="utf-8")
    text = IMG_SRC.sub(lambda m: _inline_image(m, page.parent, label), text)
    return EXTERNAL_SCRIPT.sub("", text)


def _combine(pages, student):
    """Join the pages of one or more notebooks into one document, in the given order."""
    texts = [self_contained(page, f"{student}/{page.parent.name}") for page in pages]
    if len(texts) == 1:
        return texts[0]
    bodies = []
    for page, text in zip(pages, texts):
        match = BODY.search(text)
        bodies.append(
            f"<h1>{html.escape(page.stem)}</h1>\n" + (match.group(1) if match else text)
        )
    first = texts[0]
    match = BODY.search(first)
    if not match:
        return "\n<hr>\n".join(bodies)
    return first[: match.start(1)] + "\n<hr>\n".join(bodies) + first[match.end(1) :]


@dataclass
class FeedbackFiles:
    written: dict  # student -> path
    skipped: dict  # student -> reason

    def format(self, assignment, out):
        lines = [
            f"Wrote {len(self.written)} feedback file(s) for {assignment} to {out}"
        ]
        for student, reason in sorted(self.skipped.items()):
            lines.append(f"  no file for {student}: {reason}")
        return "\n".join(lines)


def write_feedback_files(course, assignment, out, generate=True):
    """Write ``out/<student>.html`` for every student with generated feedback.

    With ``generate``, first runs ``nbgrader generate_feedback --force`` so the
    pages match the gradebook. Students with an autograded notebook but no page
    are reported in ``skipped``.
    """
    if generate:
        code = course.nbgrader(
            "generate_feedback",
            assignment,
            "--force",
            check=False,
            log_name="generate_feedback",
        )
        if code:
            log.warning(
                "class/%s: nbgrader generate_feedback exited with %s; see %s",
                assignment,
                code,
                course.root / "logs" / "generate_feedback.log",
            )
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    feedback = step_directory(course, "feedback")
    autograded = step_directory(course, "autograded")
    written, skipped = {}, {}
    students = {p.parent.name for p in autograded.glob(f"*/{assignment}") if p.is_dir()}
    students |= {p.parent.name for p in feedback.glob(f"*/{assignment}") if p.is_dir()}
    for student in sorted(students):
        pages = sorted((feedback / student / assignment).glob("*.html"))
        if not pages:
            skipped[student] = (
                f"no feedback page in {feedback / student / assignment}: "
                f"check logs/generate_feedback.log"
            )
            log.info("%s/%s: %s", student, assignment, skipped[student])
            continue
        target = out / f"{student}.html"
        target.write_text(_combine(pages, student), encoding="utf-8")
        written[student] = target
        log.info("%s/%s: feedback file %s", student, assignment, target)
    return FeedbackFiles(written, skipped)
