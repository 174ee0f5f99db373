"""How a graded function is described: its cases and its named checks (data)."""

from dataclasses import dataclass, field


@dataclass
class Case:
    """One call of a student function on inputs the grader chose.

    ``scored`` cases count in the value checks; the others (probes) feed
    named probe checks and the diagnosis of likely mistakes.
    """

    key: str
    label: str
    arguments: list
    scored: bool = True


@dataclass(frozen=True)
class Check:
    """A named check worth ``points``.

    kind is one of: "returns" (output types and shapes on every case), "cache",
    "values" (one per scored case, sharing ``points``), "probe" (values on the
    probe case ``case``), "unchanged" (inputs not modified), "separate" (the
    outputs in ``outputs`` are distinct arrays) and "custom", whose ``evaluate``
    takes the CheckContext and returns a list of failure messages (empty when
    the check passes). ``hint`` is printed when the check fails.
    """

    kind: str
    name: str
    points: float
    case: str = ""
    outputs: tuple = ()
    hint: str = ""
    evaluate: object = None


@dataclass
class FunctionSpec:
    """A graded function: its signature, outputs, checks and how to build cases."""

    name: str
    points: float
    arguments: tuple
    outputs: tuple
    returns_dict: bool
    checks: tuple
    reference: object
    make_cases: object
    stubs: tuple = ()
    cache_output: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def compared_outputs(self):
        return tuple(name for name in self.outputs if name != self.cache_output)
