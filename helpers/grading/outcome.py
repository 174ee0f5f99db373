"""The student's call on one case, as the grader sees it."""

import ast
import builtins
from dataclasses import dataclass

from . import wire


@dataclass
class Outcome:
    """status: ok, error, missing, silent, invalid or fault; ``detail`` explains non-ok."""

    status: str
    result: object = None
    arguments_after: list | None = None
    detail: str = ""
    timed_out: bool = False


class SourceIndex:
    """Top-level function definitions of the student's code, parsed, never executed."""

    def __init__(self, sources):
        self.functions = {}
        for source in sources:
            try:
                tree = ast.parse(source)
            except SyntaxError:
                continue
            lines = source.splitlines()
            for node in tree.body:
                if isinstance(node, ast.FunctionDef):
                    self.functions[node.name] = (node.lineno, lines)

    def line(self, function, offset):
        """Return the student's own source line ``offset`` lines into ``function``, or None."""
        if function not in self.functions or not isinstance(offset, int):
            return None
        first, lines = self.functions[function]
        index = first - 1 + offset
        if 0 <= index < len(lines):
            return lines[index].strip()[:120]
        return None


def read_report(report, function_name, sources):
    """Turn the kernel's report of one call into an Outcome."""
    status = report.get("status") if isinstance(report, dict) else None
    if status == "missing":
        return Outcome("missing", detail=f"{function_name} is not defined")
    if status == "silent":
        return Outcome("silent", detail="the call returned no result (the output was suppressed)")
    if status == "error":
        return Outcome("error", detail=_error_detail(report, function_name, sources))
    if status != "ok":
        return Outcome("invalid", detail="the call sent back an unreadable result")
    try:
        table = {}
        result = wire.decode(report.get("result"), table)
        arguments = wire.decode(report.get("arguments"), table)
    except Exception:  # anything a forged or oversized report can raise
        return Outcome("invalid", detail="the call sent back an unreadable or too large result")
    if not isinstance(arguments, list):
        return Outcome("invalid", detail="the call sent back an unreadable result")
    return Outcome("ok", result=result, arguments_after=arguments)


# Exception names shown in feedback. Any other name could carry data the student's
# code chose (for example a hidden input), so it is shown as "an exception".
KNOWN_EXCEPTIONS = {
    name
    for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException)
} | {"LinAlgError", "AxisError", "ComplexWarning"}


def _error_detail(report, function_name, sources):
    error = report.get("error")
    if error not in KNOWN_EXCEPTIONS:
        error = "an exception"
    location = report.get("at")
    if isinstance(location, list) and len(location) == 2:
        name, offset = location
        line = sources.line(name, offset) if isinstance(name, str) else None
        if line:
            where = "" if name == function_name else f" (in {name})"
            return f"raised {error}{where} at `{line}`"
    return f"raised {error}"
