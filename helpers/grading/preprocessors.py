"""nbgrader autograde preprocessors and exporter of the course.

Autograde runs two passes (see ``nbgrader_config.py``):
1. sanitize: ``RestoreCells`` rebuilds the submission around the release's
   graded cells, so deleted, duplicated or edited cells cost nothing extra;
2. autograde: ``GradeFunctions`` runs the student's cells in a (sandboxed)
   kernel and grades each function from the grader process; ``SaveGrades``
   writes those scores and the submission's status to the gradebook.
"""

import os
import shutil
import tempfile
import time
from pathlib import Path

import nbformat
from nbconvert.exporters import NotebookExporter
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor, SaveAutoGrades
from traitlets import Dict, Float, Integer, Unicode

from ..assignments import ASSIGNMENTS
from . import cells, feedback, results, sandbox
from .catalogue import Diagnosis, load_catalogue, solution_sources
from .compare import Tolerance
from .grade import FunctionResult, grade_function
from .kernel import KernelFault, KernelSession
from .outcome import SourceIndex

META = "rnn_grader"


class TolerantNotebookExporter(NotebookExporter):
    """Reads a notebook that nbformat rejects as an empty notebook flagged unreadable.

    The flag travels to ``GradeFunctions``, which records the student as failed
    with the reason, while the batch goes on with the next student.
    """

    def from_filename(self, filename, resources=None, **kw):
        try:
            with open(filename, encoding="utf-8") as handle:
                notebook = nbformat.read(handle, as_version=4)
            nbformat.validate(notebook)
        except Exception as error:  # not JSON, not a notebook, wrong encoding
            reason = f"the notebook could not be read ({type(error).__name__}: {str(error)[:200]})"
            self.log.error("%s: %s", filename, reason)
            notebook = nbformat.v4.new_notebook()
            notebook.metadata[META] = {"unreadable": reason}
        resources = self._init_resources(resources)
        resources.setdefault("metadata", {})
        resources["metadata"]["path"] = os.path.dirname(filename)
        resources["metadata"]["name"] = Path(filename).stem
        return self.from_notebook_node(notebook, resources=resources, **kw)


def _course_path(config, step, assignment, notebook):
    coursedir = CourseDirectory(config=config)
    return Path(coursedir.format_path(step, ".", assignment)) / f"{notebook}.ipynb"


class RestoreCells(NbGraderPreprocessor):
    """Give the submission exactly the release's graded cells (sanitize pass)."""

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        module = ASSIGNMENTS.get(info["assignment"])
        if module is not None:
            # Until grading finishes, the student counts as failed, never as an
            # earlier grade or as missing.
            pending = _summary("failed", "autograde did not finish", [], module)
            results.save(info["db_url"], info["assignment"], info["student"], info["notebook"], pending)
        coursedir = CourseDirectory(config=self.config)
        release_path = _course_path(
            self.config, coursedir.release_directory, info["assignment"], info["notebook"]
        )
        release = nbformat.read(str(release_path), as_version=4)
        flag = nb.metadata.get(META)
        try:
            restored = cells.restore(nb, release)
        except Exception as error:  # metadata too damaged to match any cell
            self.log.error("%s/%s: cells could not be restored: %s", info["student"], info["assignment"], error)
            restored = cells.restore(nbformat.v4.new_notebook(), release)
            flag = {"unreadable": f"the notebook's cells could not be read ({type(error).__name__})"}
        if flag:
            restored.metadata[META] = flag
        return restored, resources


class GradeFunctions(NbGraderPreprocessor):
    """Run the student's cells in a kernel and grade every function from outside it."""

    sandbox = Unicode(
        "on",
        help=(
            'Run student kernels under bubblewrap: "on" (fail if unavailable), '
            '"auto" (use it when it works) or "off".'
        ),
    ).tag(config=True)
    call_timeout = Float(
        60.0, help="Seconds all calls of one student function may take together."
    ).tag(config=True)
    cell_timeout = Float(120.0, help="Seconds one student cell may take to run.").tag(config=True)
    notebook_timeout = Float(
        1200.0,
        help="Seconds the whole grading of one notebook may take; later functions then score 0.",
    ).tag(config=True)
    startup_timeout = Float(60.0, help="Seconds a kernel may take to start.").tag(config=True)
    memory_limit = Integer(
        4 * 2**30, help="Address-space limit of a student kernel, in bytes (0: none)."
    ).tag(config=True)
    output_limit = Integer(
        20000, help="Characters of output kept per student cell; the rest is dropped."
    ).tag(config=True)
    atol = Float(1e-8, help="Absolute part of the value tolerance.").tag(config=True)
    rtol = Float(1e-6, help="Relative part of the value tolerance.").tag(config=True)
    hidden_cases = Dict(
        help=(
            "Hidden cases per assignment id: a list of dicts with seed and sizes (for "
            "Part 1: seed, n_x, n_a, n_y, m, T_x, including n_x != n_a, m = 1 and "
            "T_x = 1). An assignment missing here uses its built-in defaults."
        ),
    ).tag(config=True)

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        module = ASSIGNMENTS.get(info["assignment"])
        if module is None:
            raise ValueError(f"no graded functions are defined for assignment {info['assignment']!r}")
        started = time.monotonic()
        try:
            grading = _Grading(self, module, nb, resources, info["assignment"])
            summary = grading.run()
        except Exception as error:  # a grader bug must not read as "missing" or a stale grade
            self.log.exception("%s/%s: grading failed", info["student"], info["assignment"])
            summary = _summary("failed", f"internal grading error ({type(error).__name__})", [], module)
        summary["seconds"] = round(time.monotonic() - started, 3)
        resources[META] = summary
        self.log.info(
            "%s/%s: %s, %g / %g points",
            info["student"], info["assignment"], summary["status"], summary["score"], summary["max_score"],
        )
        return nb, resources

    def use_sandbox(self):
        if self.sandbox == "off":
            return False
        if self.sandbox == "auto":
            if sandbox.find_bwrap():
                return True
            self.log.warning("bubblewrap not found: student code runs without a sandbox")
            return False
        return True


class _Grading:
    """State of one notebook's grading: its kernel, cells and function results."""

    def __init__(self, owner, module, nb, resources, assignment):
        self.owner = owner
        self.module = module
        self.nb = nb
        self.resources = resources
        self.settings = _Settings(owner, module, assignment)
        self.setup_cells = [
            cell for cell in nb.cells if cell.cell_type == "code" and not cells.is_test_cell(cell)
        ]
        self.skipped = set()
        self.recorded = set()
        self.setup_notes = []
        self.restarts_seen = 0
        self.deadline = time.monotonic() + owner.notebook_timeout

    def remaining(self):
        return self.deadline - time.monotonic()

    def run(self):
        unreadable = self.nb.metadata.get(META, {}).get("unreadable")
        if unreadable:
            return self._failed(unreadable)
        sources = SourceIndex(cell.source for cell in self.setup_cells)
        workspace = Path(tempfile.mkdtemp(prefix="rnn-grade-"))
        try:
            self._copy_submission(workspace)
            with KernelSession(
                workspace,
                sandboxed=self.owner.use_sandbox(),
                memory_limit=self.owner.memory_limit,
                startup_timeout=self.owner.startup_timeout,
                output_limit=self.owner.output_limit,
            ) as session:
                self._run_setup(session)
                function_results = [self._grade(session, spec, sources) for spec in self.module.FUNCTIONS]
        except KernelFault as fault:
            return self._failed(fault.reason)
        finally:
            shutil.rmtree(workspace, ignore_errors=True)
        return self._summarise(function_results)

    def _copy_submission(self, workspace):
        """Copy the release's files (not the submission's) into the kernel's workspace.

        Student code lives in the notebook, so nothing else is needed, and a file
        or symbolic link placed in the submission never reaches the kernel.
        """
        info = self.resources["nbgrader"]
        coursedir = CourseDirectory(config=self.owner.config)
        release = Path(coursedir.format_path(coursedir.release_directory, ".", info["assignment"]))
        for item in release.iterdir():
            if item.name.startswith(".") or item.suffix == ".ipynb" or item.is_symlink():
                continue
            target = workspace / item.name
            if item.is_dir():
                shutil.copytree(item, target, symlinks=True)
            elif item.is_file():
                shutil.copy(item, target)
        os.chmod(workspace, 0o777)

    def _run_setup(self, session):
        """Run the student's cells; after a restart, run them again without the faulty ones.

        Each cell's outputs are kept from its first complete run only.
        """
        restarted = True
        while restarted:
            restarted = False
            generation = session.restarts
            for number, cell in enumerate(self.setup_cells):
                if number in self.skipped:
                    continue
                seconds = min(self.owner.cell_timeout, self.remaining())
                if seconds <= 0:
                    self._stopped(number, cell, KernelFault("the notebook ran out of time"))
                    continue
                try:
                    outputs, _ = session.run(cell.source, seconds)
                except KernelFault as fault:
                    self._stopped(number, cell, fault)
                    if session.restarts != generation:
                        restarted = True
                        break
                    continue
                if number not in self.recorded:
                    self.recorded.add(number)
                    cell.outputs = [nbformat.from_dict(output) for output in outputs]
                    cell.execution_count = number + 1
        self.restarts_seen = session.restarts

    def _stopped(self, number, cell, fault):
        self.skipped.add(number)
        note = f"This cell was stopped ({fault.reason}); grading went on without it."
        if number not in self.recorded:
            self.recorded.add(number)
            cell.outputs = [nbformat.v4.new_output("stream", name="stderr", text=note + "\n")]
            self.setup_notes.append(note)

    def _grade(self, session, spec, sources):
        if session.restarts != self.restarts_seen:
            self._run_setup(session)
        cases = spec.make_cases(self.settings.hidden_cases)
        if self.remaining() <= 0:
            reason = f"not graded: the notebook exceeded its time limit of {self.owner.notebook_timeout:g} s"
            result = FunctionResult(spec.name, spec.points, [], fault=reason)
            self._write_feedback(spec, result)
            return result
        seconds = min(self.settings.call_timeout, self.remaining())
        result = grade_function(
            session, spec, cases, self.settings, sources, self.settings.diagnosis, seconds
        )
        self._write_feedback(spec, result)
        return result

    def _write_feedback(self, spec, result):
        for cell in self.nb.cells:
            if cells.nbgrader_meta(cell).get("grade_id") == "test_" + spec.name:
                cell.outputs = [
                    nbformat.v4.new_output("stream", name="stdout", text=feedback.render(result))
                ]

    def _summarise(self, function_results):
        faults = [r for r in function_results if r.fault]
        if faults and len(faults) == len(function_results):
            status, reason = "failed", "; ".join(f"{r.name}: {r.fault}" for r in faults)
        elif faults:
            status, reason = "partly graded", "; ".join(f"{r.name}: {r.fault}" for r in faults)
        else:
            status, reason = "graded", ""
        if self.setup_notes:
            reason = "; ".join(filter(None, [reason, f"{len(self.setup_notes)} cell(s) stopped"]))
        return _summary(status, reason, function_results, self.module)

    def _failed(self, reason):
        empty = [FunctionResult(spec.name, spec.points, [], fault=reason) for spec in self.module.FUNCTIONS]
        for result in empty:
            spec = next(s for s in self.module.FUNCTIONS if s.name == result.name)
            self._write_feedback(spec, result)
        return _summary("failed", reason, empty, self.module)


def _summary(status, reason, function_results, module):
    """Build the record of one notebook, counting functions without a result as 0 points."""
    by_name = {r.name: r for r in function_results}
    records = {
        spec.name: feedback.as_record(by_name.get(spec.name) or FunctionResult(spec.name, spec.points, []))
        for spec in module.FUNCTIONS
    }
    return {
        "status": status,
        "reason": reason,
        "score": round(sum(record["score"] for record in records.values()), 6),
        "max_score": float(sum(spec.points for spec in module.FUNCTIONS)),
        "scores": {"test_" + name: record["score"] for name, record in records.items()},
        "functions": records,
    }


class _Settings:
    """Configuration values that grade_function needs, resolved once per notebook."""

    def __init__(self, owner, module, assignment):
        self.call_timeout = owner.call_timeout
        self.tolerance = Tolerance(owner.atol, owner.rtol)
        self.hidden_cases = owner.hidden_cases.get(assignment) or list(module.DEFAULT_HIDDEN_CASES)
        module.validate_hidden_cases(self.hidden_cases)
        self.reference_cells = module.REFERENCE_CELLS
        self.diagnosis = _diagnosis(owner.config, module)


_diagnoses = {}


def _diagnosis(config, module):
    """Build the catalogue's mistaken functions from the source notebook, once per process."""
    coursedir = CourseDirectory(config=config)
    path = _course_path(config, coursedir.source_directory, module.NOTEBOOK, module.NOTEBOOK)
    if path not in _diagnoses:
        mistakes = load_catalogue(module.NOTEBOOK)
        solutions = solution_sources(path) if path.exists() else {}
        namespace = dict(module.MISTAKE_NAMESPACE)
        _diagnoses[path] = Diagnosis(mistakes, solutions, namespace)
    return _diagnoses[path]


class SaveGrades(SaveAutoGrades):
    """Record the grader's scores (not the test cells' outputs) and the status."""

    def preprocess(self, nb, resources):
        self._summary = resources.get(META)
        nb, resources = super().preprocess(nb, resources)
        info = resources["nbgrader"]
        if self._summary is not None:
            results.save(info["db_url"], info["assignment"], info["student"], info["notebook"], self._summary)
        return nb, resources

    def _add_score(self, cell, resources):
        grade_id = cells.nbgrader_meta(cell)["grade_id"]
        grade = self.gradebook.find_grade(grade_id, self.notebook_id, self.assignment_id, self.student_id)
        scores = (self._summary or {}).get("scores", {})
        grade.auto_score = float(scores.get(grade_id, 0.0))
        grade.needs_manual_grade = grade.manual_score is not None
        self.gradebook.db.commit()
