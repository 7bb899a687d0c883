# nbconvert config used by scripts/notebook-runner.ts (passed with --config).
# tslab reports a failing cell with an empty error value and puts the real message (type error,
# stack trace) on the cell's stderr; nbconvert does not save the notebook when a cell fails. This
# hook prints the failing cell's index, first source line and error text between markers so the
# runner can name the notebook and cell in its own one-line summary.
import json
import sys


def _sr_report_cell_error(cell=None, cell_index=None, execute_reply=None, **_kw):
    parts = []
    for out in (cell or {}).get("outputs", []):
        kind = out.get("output_type")
        if kind == "stream" and out.get("name") == "stderr":
            parts.append(out.get("text", ""))
        elif kind == "error":
            parts.append("%s: %s\n%s" % (out.get("ename", ""), out.get("evalue", ""), "\n".join(out.get("traceback", []))))
    content = (execute_reply or {}).get("content", {}) or {}
    if content.get("ename") or content.get("evalue"):
        parts.append("%s: %s" % (content.get("ename", ""), content.get("evalue", "")))
    source = (cell or {}).get("source", "") or ""
    first = next((line for line in source.splitlines() if line.strip()), "")
    info = {"cell_index": cell_index, "first_line": first, "detail": "".join(parts)[-6000:]}
    sys.stderr.write("\nSR_CELL_ERROR_BEGIN\n" + json.dumps(info) + "\nSR_CELL_ERROR_END\n")
    sys.stderr.flush()


c = get_config()  # noqa: F821 (provided by traitlets when loading the config file)
c.ExecutePreprocessor.on_cell_error = _sr_report_cell_error

# Re-executing an unchanged notebook must not change its file (a lighter git history): nbclient's
# per-cell timestamps (cell metadata "execution") would differ on every run, so none are recorded,
# and the preprocessor below drops those left from earlier runs. Preprocessors listed here run
# after the ExecutePreprocessor that --execute enables.
from nbconvert.preprocessors import Preprocessor  # noqa: E402


class _SrDropExecutionTimes(Preprocessor):
    def preprocess_cell(self, cell, resources, index):
        cell.get("metadata", {}).pop("execution", None)
        return cell, resources


c.ExecutePreprocessor.record_timing = False
c.NotebookExporter.preprocessors = [_SrDropExecutionTimes]
