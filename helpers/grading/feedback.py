"""What students and instructors read about one graded function.

Messages name outputs, shapes and likely causes; they never contain hidden
inputs, expected values, grader source or what the student's code printed.
"""


def _points(value):
    return f"{round(value, 2):g}"


def render(result):
    """Feedback text for the function's test cell."""
    lines = [f"{result.name}: {_points(result.score)} / {_points(result.points)} points"]
    if result.fault:
        lines.append(f"Not graded: {result.fault}.")
    for note in result.notes:
        lines.append(note)
    for check in result.checks:
        mark = "pass" if check.passed else "FAIL"
        lines.append(f"[{mark}] {check.name} ({_points(check.earned)}/{_points(check.points)})")
        for message in check.messages:
            if message:
                lines.append(f"       {message}")
    for mistake in result.mistakes[:2]:
        lines.append(f"Likely cause: {mistake.message}")
    return "\n".join(lines) + "\n"


def as_record(result):
    """JSON-ready record for the gradebook table and the instructor report."""
    return {
        "score": result.score,
        "points": result.points,
        "fault": result.fault,
        "mistakes": [mistake.id for mistake in result.mistakes],
        "checks": [
            {"name": check.name, "earned": check.earned, "points": check.points}
            for check in result.checks
        ],
    }
