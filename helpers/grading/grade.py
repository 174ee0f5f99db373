"""Grade one function: call the student's code on each case, then score named checks.

This module is where a score is computed. The student's kernel only sends back
the outputs of its own function; the expected values, the comparisons and the
points are all computed here, in the grader process.
"""

import copy
import json
import logging
import time
import warnings
from dataclasses import dataclass, field

import numpy as np

from . import wire
from .compare import Tolerance, describe_type, first_difference, is_float_array
from .kernel import KernelFault
from .outcome import Outcome, read_report
from .spec import Check

log = logging.getLogger(__name__)


@dataclass
class CheckResult:
    name: str
    points: float
    earned: float
    messages: list = field(default_factory=list)

    @property
    def passed(self):
        return self.earned >= self.points


@dataclass
class FunctionResult:
    name: str
    points: float
    checks: list
    fault: str = ""
    mistakes: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    @property
    def score(self):
        earned = sum(check.earned for check in self.checks)
        return float(round(min(max(earned, 0.0), self.points), 6))


def run_reference(function, arguments):
    """Call an instructor function on private copies; return (result, arguments after)."""
    arguments = copy.deepcopy(arguments)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        result = function(*arguments)
    return result, arguments


def named_outputs(spec, result):
    """Map output names to values, or return a message when the structure is wrong."""
    if spec.returns_dict:
        if not isinstance(result, dict):
            return None, f"returned {describe_type(result)}, expected a dict"
        missing = [key for key in spec.outputs if key not in result]
        if missing:
            return None, f"the returned dict is missing the keys {missing}"
        return {key: result[key] for key in spec.outputs}, None
    if not isinstance(result, (tuple, list)):
        return None, f"returned {describe_type(result)}, expected a tuple of {len(spec.outputs)}"
    if len(result) != len(spec.outputs):
        return None, f"returned {len(result)} values, expected {len(spec.outputs)}"
    return dict(zip(spec.outputs, result)), None


def _array_sizes(value):
    """Element counts of every array inside ``value`` (nested containers included)."""
    if isinstance(value, np.ndarray):
        return [value.size]
    if isinstance(value, (tuple, list)):
        return [size for item in value for size in _array_sizes(item)]
    if isinstance(value, dict):
        return [size for item in value.values() for size in _array_sizes(item)]
    return []


class ReferenceCells:
    """Compute the reference result of each stubbed call the kernel sends.

    Only the functions stubbed for the function being graded are computed, and
    only for arguments no larger than the current case's. A student therefore
    cannot use the grader as an oracle for another function or make it compute
    something huge.
    """

    def __init__(self, functions):
        self.functions = functions
        self.budget = None

    def limit_to(self, case, stub_sizes=None):
        """Bound the next calls by the arrays of ``case``.

        A function that builds its own arrays (a training loop that creates its
        parameters, say) gives ``stub_sizes``: the array sizes its stubs may
        receive on ``case``, from the spec's ``extra["stub_sizes"]``.
        """
        sizes = stub_sizes(case) if stub_sizes else _array_sizes(case.arguments)
        sizes = sizes or [0]
        self.budget = (4 * sum(sizes) + 1000, max(sizes))

    def __call__(self, request_text):
        try:
            request = json.loads(request_text)
            function = self.functions[request["name"]]
            budget = wire.Budget(*self.budget) if self.budget else wire.Budget()
            args, kwargs = wire.decode(request["args"], budget=budget)
            args, kwargs = copy.deepcopy(list(args)), copy.deepcopy(dict(kwargs))
            before = copy.deepcopy(args)
            result = function(*args, **kwargs)
            # A reference that changes positional arguments in place (an update of
            # a parameters dict, say) sends them back, and the stub copies them
            # into the student's objects.
            changed = [
                [index, after]
                for index, (after, prior) in enumerate(zip(args, before))
                if first_difference(after, prior, Tolerance(), exact=True)
            ]
            if changed:
                return wire.encode({"__result__": result, "__changed__": changed})
            return wire.encode(result)
        except Exception as error:  # invalid arguments from the student's code
            log.debug("reference call failed: %s", error)
            return wire.encode({"__invalid__": True})


def call_student(session, spec, case, timeout, sources, reference_cells):
    reference_cells.limit_to(case, spec.extra.get("stub_sizes"))
    try:
        report = session.call(
            spec.name,
            case.arguments,
            timeout,
            stubs=spec.stubs,
            on_rpc=reference_cells if spec.stubs else None,
        )
    except KernelFault as fault:
        return Outcome("fault", detail=fault.reason, timed_out=fault.timed_out)
    return read_report(report, spec.name, sources)


def grade_function(session, spec, cases, settings, sources, diagnose=None, seconds=None):
    """Call the student's ``spec.name`` on every case and score its checks.

    All calls together may take ``seconds`` (default: ``settings.call_timeout``).
    """
    cells = ReferenceCells({name: settings.reference_cells[name] for name in spec.stubs})
    budget = settings.call_timeout if seconds is None else seconds
    deadline = time.monotonic() + budget
    outcomes = {}
    fault = ""
    for case in cases:
        remaining = deadline - time.monotonic()
        if not fault and remaining <= 0:
            fault = f"timed out (its calls took more than {budget:g} s in all)"
        if fault:
            outcomes[case.key] = Outcome("fault", detail=fault)
            continue
        outcomes[case.key] = call_student(session, spec, case, remaining, sources, cells)
        if outcomes[case.key].status == "fault":
            fault = outcomes[case.key].detail
            if outcomes[case.key].timed_out:
                fault = f"timed out (its calls took more than {budget:g} s in all)"
                outcomes[case.key].detail = fault

    expected = {case.key: run_reference(spec.reference, case.arguments) for case in cases}
    context = CheckContext(spec, cases, outcomes, expected, settings.tolerance)
    results = [result for check in spec.checks for result in context.run(check)]
    function_result = FunctionResult(spec.name, spec.points, results, fault=fault)
    if diagnose and function_result.score < spec.points and not fault:
        function_result.mistakes = diagnose(spec, cases, outcomes, settings.tolerance)
    function_result.notes = context.notes()
    return function_result


class CheckContext:
    """Evaluates checks of one function over its cases."""

    def __init__(self, spec, cases, outcomes, expected, tolerance):
        self.spec = spec
        self.cases = cases
        self.by_key = {case.key: case for case in cases}
        self.outcomes = outcomes
        self.expected = expected
        self.tolerance = tolerance

    def run(self, check):
        if check.kind in ("unchanged", "separate") and not self._returns_ok():
            # Structural checks earn points only for outputs of the right form.
            return [self._result(check, check.points, [""])]
        if check.kind == "values":
            scored = [case for case in self.cases if case.scored]
            share = check.points / len(scored)
            return [self._values(check, case, share) for case in scored]
        method = getattr(self, "_" + check.kind)
        return [method(check)]

    def notes(self):
        """Call failures, one line per distinct failure, shown once above the checks."""
        failures = {}
        for case in self.cases:
            outcome = self.outcomes[case.key]
            if outcome.status != "ok":
                failures.setdefault(outcome.detail, []).append(case.label)
        lines = []
        for detail, labels in failures.items():
            where = "on every case" if len(labels) == len(self.cases) else "on " + ", ".join(labels)
            lines.append(f"Error: {self.spec.name} {detail} ({where}).")
            if detail.startswith("raised NameError"):
                lines.append("       A name used there was never assigned: is a line still missing?")
        return lines

    def _result(self, check, points, messages):
        return CheckResult(check.name, points, 0.0 if messages else points, messages)

    def _outputs(self, case):
        """(student outputs, expected outputs, problem) for one case."""
        outcome = self.outcomes[case.key]
        if outcome.status != "ok":
            return None, None, "failed"
        student, problem = named_outputs(self.spec, outcome.result)
        expected, _ = named_outputs(self.spec, self.expected[case.key][0])
        return student, expected, problem

    def _returns_ok(self):
        return not self._returns(Check("returns", "", 1)).messages

    def _returns(self, check):
        messages = []
        for case in self.cases:
            student, expected, problem = self._outputs(case)
            if problem == "failed":
                messages.append("")
                break
            if problem:
                messages.append(f"{self.spec.name} {problem}")
                break
            for name in self.spec.compared_outputs:
                value, wanted = student[name], expected[name]
                if not is_float_array(value):
                    messages.append(f"{name} is {describe_type(value)}, expected float64 numpy array")
                elif value.shape != wanted.shape:
                    messages.append(
                        f"{name} has shape {value.shape} on {case.label}, expected {wanted.shape}"
                    )
            if messages:
                break
        return self._result(check, check.points, messages)

    def _compare_case(self, case):
        student, expected, problem = self._outputs(case)
        if problem == "failed":
            return [""]
        if problem:
            return [f"{self.spec.name} {problem}"]
        messages = []
        for name in self.spec.compared_outputs:
            found = first_difference(student[name], expected[name], self.tolerance, name)
            if found:
                messages.append(f"{found[0]} {found[1]}")
        return messages

    def _values(self, check, case, share):
        differences = self._compare_case(case)
        messages = ["; ".join(differences)] if differences else []
        return CheckResult(f"{check.name} on {case.label}", share, 0.0 if messages else share, messages)

    def _custom(self, check):
        messages = list(check.evaluate(self))
        if messages and check.hint:
            messages.append(check.hint)
        return self._result(check, check.points, messages)

    def _probe(self, check):
        case = self.by_key[check.case]
        messages = self._compare_case(case)
        if messages == [""]:
            return self._result(check, check.points, messages)
        if messages:
            messages = ["; ".join(messages)] + ([check.hint] if check.hint else [])
        return self._result(check, check.points, messages)

    def _cache(self, check):
        name = self.spec.cache_output
        for case in self.cases:
            student, expected, problem = self._outputs(case)
            if problem:
                return self._result(check, check.points, [""])
            found = first_difference(student[name], expected[name], self.tolerance, name)
            if found:
                hint = [check.hint] if check.hint else []
                return self._result(check, check.points, [f"{found[0]} {found[1]}"] + hint)
        return self._result(check, check.points, [])

    def _unchanged(self, check):
        for case in self.cases:
            outcome = self.outcomes[case.key]
            if outcome.status != "ok":
                return self._result(check, check.points, [""])
            for name, before, after in zip(self.spec.arguments, case.arguments, outcome.arguments_after):
                found = first_difference(after, before, self.tolerance, name, exact=True)
                if found:
                    message = f"{self.spec.name} modified its input {found[0]} in place"
                    return self._result(check, check.points, [message])
        return self._result(check, check.points, [])

    def _separate(self, check):
        for case in self.cases:
            student, _, problem = self._outputs(case)
            if problem:
                return self._result(check, check.points, [""])
            names = check.outputs
            for i, first in enumerate(names):
                for second in names[i + 1:]:
                    a, b = student[first], student[second]
                    if a is b or wire.shares_memory(a, b):
                        message = f"{first} and {second} are the same array (or views of one array)"
                        return self._result(check, check.points, [message, check.hint])
        return self._result(check, check.points, [])
