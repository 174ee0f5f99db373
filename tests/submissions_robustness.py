"""Submissions that crash, loop, flood, game the tests or arrive damaged.

Each case builds a notebook from the release and the instructor solution and
states what grading must give: per function "full", "zero" or "below" (less
than full), and the submission's status.
"""

import copy
import nbformat

from helpers.samples import build

def _solution(release, source, **functions):
    return build.with_functions(release, source, functions)


def _prepend_to_solution(release, source, name, code):
    """The full solution with ``code`` run at the top of ``name``'s body."""
    from helpers.grading.catalogue import solution_sources

    text = solution_sources(source)[name]
    head, _, rest = text.partition("\n")
    indented = "\n".join("    " + line for line in code.strip().splitlines())
    docstring_end = rest.index('"""', rest.index('"""') + 3) + 3
    patched = head + "\n" + rest[:docstring_end] + "\n" + indented + rest[docstring_end:]
    return _solution(release, source, **{name: patched})


def _with_extra_cell(notebook, code, position=None):
    notebook = copy.deepcopy(notebook)
    cell = nbformat.v4.new_code_cell(code)
    notebook.cells.insert(len(notebook.cells) if position is None else position, cell)
    return notebook


def _grade_cell_index(notebook, grade_id):
    for index, cell in enumerate(notebook.cells):
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            return index
    raise KeyError(grade_id)


FULL = "full"
ALL_FULL = {name: FULL for name in (
    "rnn_cell_forward", "rnn_forward", "lstm_cell_forward", "lstm_forward",
    "rnn_cell_backward", "rnn_backward", "lstm_cell_backward", "lstm_backward",
)}


def expect(status="graded", **changes):
    scores = dict(ALL_FULL)
    scores.update(changes)
    return {"status": status, "scores": scores}


EXPECTED = {
    "loop-in-function": expect("partly graded", rnn_cell_forward="zero"),
    "loop-ignoring-interrupt": expect("partly graded", lstm_cell_forward="zero"),
    "loop-in-top-level-cell": expect("graded"),
    "exit-in-function": expect("partly graded", rnn_forward="zero"),
    "segfault-in-function": expect("partly graded", lstm_cell_backward="zero"),
    "memory-exhausted": expect("graded", rnn_backward="zero"),
    "output-flood": expect("graded"),
    "warnings-and-stderr": expect("graded"),
    "slow-but-correct": expect("graded"),
    "patched-allclose": expect("graded", rnn_cell_forward="below"),
    "input-transformer": expect("graded", **{name: "zero" for name in ALL_FULL}),
    "ndarray-subclass": expect("graded", rnn_cell_forward="below"),
    "always-equal-object": expect("graded", rnn_cell_forward="zero"),
    "hard-coded-visible": expect("graded", rnn_cell_forward="below"),
    "replaced-numpy-module": expect("graded"),
    "reads-reference": expect("graded", rnn_cell_forward="zero"),
    "prints-hidden-inputs": expect("graded", rnn_cell_forward="zero"),
    "deleted-test-cell": expect("graded"),
    "deleted-solution-cell": expect("graded", rnn_forward="zero"),
    "duplicated-solution-cell": expect("graded"),
    "test-cell-to-markdown": expect("graded"),
    "edited-test-cell": expect("graded", rnn_cell_backward="below"),
    "edited-grade-id": expect("graded"),
    "stripped-metadata": expect("graded"),
    "nbformat-4-4": expect("graded"),
    "non-ascii": expect("graded"),
    "not-json": expect("failed", **{name: "zero" for name in ALL_FULL}),
    "namedtuple-and-ordereddict": expect("graded"),
    "reset-first": expect("graded"),
    "exception-name-leak": expect("graded", rnn_cell_forward="zero"),
    "symlink-to-reference": expect("graded", rnn_cell_forward="zero"),
    "broken-metadata": expect("graded"),
    "oracle-request": expect("graded"),
}

# Student code that requests another function's reference result through the
# grader's stub channel while rnn_forward is graded; the grader must reject it.
ORACLE_REQUEST = """
import base64, json
def enc(value, ids=[0]):
    ids[0] += 1
    if isinstance(value, np.ndarray):
        data = base64.b64encode(np.ascontiguousarray(value, dtype=float).tobytes()).decode()
        return {"t": "array", "id": ids[0], "dtype": "<f8", "shape": list(value.shape), "data": data}
    if isinstance(value, dict):
        return {"t": "dict", "id": ids[0], "items": [[{"t": "str", "v": k}, enc(v)] for k, v in value.items()]}
    return {"t": "list", "id": ids[0], "items": [enc(v) for v in value]}
p = {k: np.ones((1, 2)) for k in ("Wf", "Wi", "Wc", "Wo")}
p.update({k: np.ones((1, 1)) for k in ("bf", "bi", "bc", "bo", "Wy", "by")})
request = {"name": "lstm_cell_forward", "args": enc([[np.ones((1, 1))] * 3 + [p], {}])}
reply = input("rnn-grader-rpc:" + json.dumps(request))
assert "__invalid__" in reply, "the grader answered for another function"
"""

# A file placed beside the notebook, as a hand-collected zip could contain.
SYMLINKS = {"symlink-to-reference": ("ref_link.py", "helpers/reference/rnn.py")}


def build_all(release, source, course):
    """Map student id -> notebook, and student id -> raw bytes for unreadable files."""
    full = build.full_solution(release, source)
    pre = lambda name, code: _prepend_to_solution(release, source, name, code)  # noqa: E731
    notebooks = {
        "loop-in-function": pre("rnn_cell_forward", "while True:\n    pass"),
        "loop-ignoring-interrupt": pre(
            "lstm_cell_forward",
            "while True:\n    try:\n        pass\n    except BaseException:\n        pass",
        ),
        "loop-in-top-level-cell": _with_extra_cell(full, "while True:\n    pass"),
        "exit-in-function": pre("rnn_forward", "import os\nos._exit(1)"),
        "segfault-in-function": pre("lstm_cell_backward", "import ctypes\nctypes.string_at(0)"),
        "memory-exhausted": pre("rnn_backward", "hog = np.ones(2**33)"),
        "output-flood": _with_extra_cell(
            pre("lstm_backward", "print('x' * 3_000_000)"), "print('y' * 5_000_000)"
        ),
        "warnings-and-stderr": pre(
            "rnn_cell_forward",
            "import sys, warnings\nwarnings.warn('just a warning')\n"
            "print('to stderr', file=sys.stderr)\nnp.exp(1000.0)",
        ),
        "slow-but-correct": pre("lstm_backward", "import time\ntime.sleep(0.5)"),
        "patched-allclose": _with_extra_cell(
            build.with_mistake(release, source, _mistake("rnn_cell_forward.no_tanh")),
            "np.allclose = lambda *args, **kwargs: True\n"
            "np.isclose = lambda a, b, *args, **kwargs: np.ones_like(a, dtype=bool)\n"
            "np.array_equal = lambda *args, **kwargs: True\n"
            "np.testing.assert_allclose = lambda *args, **kwargs: None",
        ),
        "input-transformer": _with_extra_cell(
            full,
            "get_ipython().input_transformers_post.append(lambda lines: ['pass\\n'])",
            position=_grade_cell_index(full, "rnn_cell_forward"),
        ),
        "ndarray-subclass": _solution(
            release, source,
            rnn_cell_forward=(
                "class Always(np.ndarray):\n"
                "    def __eq__(self, other):\n        return True\n\n"
                "def rnn_cell_forward(xt, a_prev, parameters):\n"
                "    n_a, m = a_prev.shape\n"
                "    a_next = np.zeros((n_a, m)).view(Always)\n"
                "    yt_pred = np.zeros((parameters['Wya'].shape[0], m)).view(Always)\n"
                "    return a_next, yt_pred, (a_next, a_prev, xt, parameters)\n"
            ),
        ),
        "always-equal-object": _solution(
            release, source,
            rnn_cell_forward=(
                "class Anything:\n"
                "    shape = property(lambda self: None)\n"
                "    def __eq__(self, other):\n        return True\n"
                "    def __array__(self, *args, **kwargs):\n        return np.zeros(1)\n\n"
                "def rnn_cell_forward(xt, a_prev, parameters):\n"
                "    return Anything(), Anything(), (Anything(), a_prev, xt, parameters)\n"
            ),
        ),
        "hard-coded-visible": _solution(
            release, source,
            rnn_cell_forward=(
                "def rnn_cell_forward(xt, a_prev, parameters):\n"
                "    import public_checks\n"
                "    _, expected = public_checks.load_case('rnn_cell_forward')\n"
                "    return expected[0], expected[1], (expected[0], a_prev, xt, parameters)\n"
            ),
        ),
        "replaced-numpy-module": pre(
            "lstm_forward",
            "import sys, types\nsys.modules['numpy'] = types.ModuleType('numpy')",
        ),
        "reads-reference": _solution(
            release, source,
            rnn_cell_forward=(
                "def rnn_cell_forward(xt, a_prev, parameters):\n"
                f"    import sys\n    sys.path.insert(0, {str(course.root.parent)!r})\n"
                f"    sys.path.insert(0, {str(build.SAMPLES_DIR.parent.parent)!r})\n"
                "    from helpers.reference import rnn\n"
                "    return rnn.rnn_cell_forward(xt, a_prev, parameters)\n"
            ),
        ),
        "prints-hidden-inputs": _solution(
            release, source,
            rnn_cell_forward=(
                "def rnn_cell_forward(xt, a_prev, parameters):\n"
                "    marker = 'LE' + 'AK'\n"
                "    print(marker, repr(xt.tolist()))\n"
                "    raise ValueError(marker + repr(parameters['Wax'].tolist()))\n"
            ),
        ),
        "deleted-test-cell": _without(full, "test_rnn_forward"),
        "deleted-solution-cell": _without(full, "rnn_forward"),
        "duplicated-solution-cell": _duplicated(full, "lstm_cell_forward"),
        "test-cell-to-markdown": _to_markdown(full, "test_lstm_forward"),
        "edited-test-cell": _edited_test(
            build.with_mistake(release, source, _mistake("rnn_cell_backward.no_tanh_derivative")),
            "test_rnn_cell_backward",
        ),
        "edited-grade-id": _regraded(full, "test_rnn_backward"),
        "stripped-metadata": _stripped(full),
        "nbformat-4-4": _minor_4(full),
        "non-ascii": _non_ascii(full),
        "namedtuple-and-ordereddict": _solution(
            release, source,
            lstm_cell_forward=_wrapped(
                source, "lstm_cell_forward",
                "import collections\n"
                "Out = collections.namedtuple('Out', 'a_next c_next yt_pred cache')\n",
                "return Out(*result)",
            ),
            rnn_cell_backward=_wrapped(
                source, "rnn_cell_backward",
                "import collections\n",
                "return collections.OrderedDict(result, extra=np.all(result['dba'] == 0))",
            ),
        ),
        "reset-first": _with_extra_cell(full, "%reset -f\nimport numpy as np", position=0),
        "exception-name-leak": _solution(
            release, source,
            rnn_cell_forward=(
                "def rnn_cell_forward(xt, a_prev, parameters):\n"
                "    name = 'first_x_%d' % int(abs(xt[0, 0]) * 1e6)\n"
                "    raise type(name, (Exception,), {})()\n"
            ),
        ),
        "symlink-to-reference": _solution(
            release, source,
            rnn_cell_forward=(
                "def rnn_cell_forward(xt, a_prev, parameters):\n"
                "    scope = {}\n"
                "    exec(open('ref_link.py').read(), scope)\n"
                "    return scope['rnn_cell_forward'](xt, a_prev, parameters)\n"
            ),
        ),
        "broken-metadata": _broken_metadata(full),
        "oracle-request": _solution(
            release, source,
            rnn_forward=_wrapped(source, "rnn_forward", ORACLE_REQUEST, "return result"),
        ),
    }
    raw = {"not-json": b'{"cells": [ this is not json \xe2\x9f\xa8t\xe2\x9f\xa9'}
    return notebooks, raw


def _mistake(mistake_id):
    from helpers.grading.catalogue import load_catalogue

    return next(m for m in load_catalogue("rnn_step_by_step") if m.id == mistake_id)


def _without(notebook, grade_id):
    notebook = copy.deepcopy(notebook)
    del notebook.cells[_grade_cell_index(notebook, grade_id)]
    return notebook


def _duplicated(notebook, grade_id):
    notebook = copy.deepcopy(notebook)
    index = _grade_cell_index(notebook, grade_id)
    broken = copy.deepcopy(notebook.cells[index])
    broken.source = "def lstm_cell_forward(xt, a_prev, c_prev, parameters):\n    raise ValueError('old draft')\n"
    broken["id"] = "draft-copy"
    notebook.cells.insert(index, broken)  # an older draft above the final version
    return notebook


def _to_markdown(notebook, grade_id):
    notebook = copy.deepcopy(notebook)
    index = _grade_cell_index(notebook, grade_id)
    old = notebook.cells[index]
    cell = nbformat.v4.new_markdown_cell(old.source)
    cell.metadata = copy.deepcopy(old.metadata)
    cell.metadata["nbgrader"]["cell_type"] = "markdown"
    notebook.cells[index] = cell
    return notebook


def _edited_test(notebook, grade_id):
    notebook = copy.deepcopy(notebook)
    cell = notebook.cells[_grade_cell_index(notebook, grade_id)]
    cell.source = "print('all good')"
    cell.metadata["nbgrader"]["points"] = 1000
    return notebook


def _regraded(notebook, grade_id):
    notebook = copy.deepcopy(notebook)
    cell = notebook.cells[_grade_cell_index(notebook, grade_id)]
    cell.metadata["nbgrader"]["grade_id"] = "my_renamed_test"
    return notebook


def _stripped(notebook):
    notebook = copy.deepcopy(notebook)
    for number, cell in enumerate(notebook.cells):
        cell.metadata = {}
        cell["id"] = f"other-editor-{number}"
    return notebook


def _minor_4(notebook):
    notebook = copy.deepcopy(notebook)
    notebook.nbformat_minor = 4
    for cell in notebook.cells:
        cell.pop("id", None)
    return notebook


def _non_ascii(notebook):
    notebook = copy.deepcopy(notebook)
    notebook.cells.insert(0, nbformat.v4.new_markdown_cell("Notes: a⟨t⟩ → Γ_f, ŷ⟨t⟩, naïve café"))
    index = _grade_cell_index(notebook, "rnn_cell_forward")
    cell = notebook.cells[index]
    cell.source = "# État caché a⟨t⟩ → Γ (commentaire non ASCII)\n" + cell.source
    cell.source = cell.source.replace(
        "cache = (a_next, a_prev, xt, parameters)",
        "label = 'ŷ⟨t⟩ → Γ'\n    cache = (a_next, a_prev, xt, parameters)",
    )
    notebook.cells.insert(index + 1, nbformat.v4.new_code_cell("print('ŷ⟨t⟩ → Γ ✓')"))
    return notebook


def _wrapped(source, name, before, returning):
    """The instructor's ``name`` renamed to ``_inner_NAME``, called by a new ``name``.

    ``before`` runs first; ``returning`` is the return statement, with the
    inner result in ``result``.
    """
    from helpers.grading.catalogue import solution_sources

    inner = solution_sources(source)[name].replace(f"def {name}(", f"def _inner_{name}(", 1)
    body = "\n".join("    " + line for line in (before.rstrip() + "\n").splitlines())
    return (
        f"{inner}\n\n\ndef {name}(*args):\n{body}\n"
        f"    result = _inner_{name}(*args)\n    {returning}\n"
    )


def _broken_metadata(notebook):
    notebook = copy.deepcopy(notebook)
    notebook.cells[0].metadata["nbgrader"] = "broken"
    notebook.cells[1].metadata["nbgrader"] = {"grade_id": ["x"], "grade": True, "points": 99}
    notebook.cells[2]["id"] = "cell-with-odd-id"
    return notebook
