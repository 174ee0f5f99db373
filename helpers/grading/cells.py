"""Rebuild a submitted notebook around the instructor's graded cells.

Students' editors delete, duplicate, retype and strip cells. Grading must still
see every test cell of the release with its points, and each solution cell once.
The student's cells are kept in their order; a cell is recognised as a release
cell by its grade id, then its cell id, then its source (test cells) or the
function it defines (solution cells). Release test cells always come from the
release, never from the submission.
"""

import ast
import copy

import nbformat


def nbgrader_meta(cell):
    """Return the cell's nbgrader metadata, or {} when it is missing or not a dict."""
    metadata = cell.get("metadata")
    meta = metadata.get("nbgrader") if isinstance(metadata, dict) else None
    return meta if isinstance(meta, dict) else {}


def _text(value):
    return value if isinstance(value, str) else None


def is_test_cell(cell):
    meta = nbgrader_meta(cell)
    return bool(meta.get("grade")) and not meta.get("solution")


def is_solution_cell(cell):
    return bool(nbgrader_meta(cell).get("solution"))


def _normalise(source):
    return "\n".join(line.rstrip() for line in source.strip().splitlines())


def defined_functions(source):
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    return [node.name for node in tree.body if isinstance(node, ast.FunctionDef)]


class ReleaseCells:
    """Index of the graded cells of a release notebook."""

    def __init__(self, release):
        self.release = release
        self.cells = [cell for cell in release.cells if is_test_cell(cell) or is_solution_cell(cell)]
        self.by_grade_id = {nbgrader_meta(cell)["grade_id"]: cell for cell in self.cells}
        self.by_cell_id = {cell.get("id"): cell for cell in self.cells if cell.get("id")}
        self.tests_by_source = {
            _normalise(cell.source): cell for cell in self.cells if is_test_cell(cell)
        }
        self.solutions_by_function = {}
        for cell in self.cells:
            if is_solution_cell(cell):
                for name in defined_functions(cell.source):
                    self.solutions_by_function.setdefault(name, cell)

    def match(self, cell):
        """Return the release cell that ``cell`` corresponds to, or None."""
        grade_id = _text(nbgrader_meta(cell).get("grade_id"))
        candidate = self.by_grade_id.get(grade_id) or self.by_cell_id.get(_text(cell.get("id")))
        if candidate is not None and (is_test_cell(candidate) or cell.cell_type == "code"):
            return candidate
        source = _text(cell.get("source")) or ""
        test = self.tests_by_source.get(_normalise(source))
        if test is not None:
            return test
        if cell.cell_type == "code":
            for name in defined_functions(source):
                if name in self.solutions_by_function:
                    return self.solutions_by_function[name]
        return None


def restore(submitted, release):
    """Copy ``submitted``, giving it exactly the release's graded cells, each once."""
    index = ReleaseCells(release)
    used = set()
    cells = []
    for cell in submitted.cells:
        cell = copy.deepcopy(cell)
        if not isinstance(cell.get("metadata"), dict):
            cell["metadata"] = nbformat.NotebookNode()
        master = index.match(cell)
        key = id(master)
        if master is not None and key not in used and is_test_cell(master):
            used.add(key)
            cells.append(copy.deepcopy(master))
            continue
        if master is not None and key in used and is_test_cell(master):
            continue  # a duplicate of a test cell
        cell.metadata.pop("nbgrader", None)
        if master is not None and key not in used and cell.cell_type == "code":
            used.add(key)
            cell.metadata["nbgrader"] = copy.deepcopy(nbgrader_meta(master))
            cell["id"] = master.get("id", cell.get("id"))
        cells.append(cell)

    for position, master in enumerate(index.cells):
        if id(master) in used:
            continue
        insert_at = _insertion_point(cells, index.cells[:position])
        cells.insert(insert_at, copy.deepcopy(master) if is_test_cell(master) else _empty(master))
        used.add(id(master))

    restored = copy.deepcopy(submitted)
    restored.cells = cells
    restored.metadata["kernelspec"] = copy.deepcopy(release.metadata.get("kernelspec", {}))
    restored.nbformat, restored.nbformat_minor = release.nbformat, release.nbformat_minor
    _unique_ids(restored)
    return restored


def _empty(master):
    """Recreate a deleted solution cell empty, so that it defines nothing."""
    cell = nbformat.v4.new_code_cell("")
    cell.metadata["nbgrader"] = copy.deepcopy(nbgrader_meta(master))
    return cell


def _insertion_point(cells, earlier_masters):
    ids = {nbgrader_meta(master).get("grade_id") for master in earlier_masters}
    for index in range(len(cells) - 1, -1, -1):
        if nbgrader_meta(cells[index]).get("grade_id") in ids:
            return index + 1
    return len(cells)


def _unique_ids(notebook):
    seen = set()
    for number, cell in enumerate(notebook.cells):
        if not isinstance(cell.get("id"), str) or not cell["id"] or cell["id"] in seen:
            cell["id"] = f"cell-{number}"
        seen.add(cell["id"])
