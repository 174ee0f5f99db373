"""A student kernel driven by the grader: run cells, call functions, survive faults."""

import logging
import os
import secrets
import time
from pathlib import Path

import zmq
from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpec

from . import sandbox, wire

HARNESS_SOURCE = (Path(__file__).with_name("kernel_harness.py")).read_text()
GRADER_MIME = "application/vnd.rnn-grader+json"
RPC_PREFIX = "rnn-grader-rpc:"
THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")

log = logging.getLogger(__name__)


class KernelFault(Exception):
    """The kernel timed out or died; ``reason`` is a short phrase for feedback."""

    def __init__(self, reason, timed_out=False):
        super().__init__(reason)
        self.reason = reason
        self.timed_out = timed_out


class CellOutputs:
    """nbformat outputs of one execution, capped at ``limit`` characters of text."""

    def __init__(self, limit):
        self.outputs = []
        self.limit = limit
        self.size = 0
        self.dropped = 0

    def add(self, msg_type, content):
        if msg_type == "stream":
            self._add_text(content["name"], content["text"])
        elif msg_type in ("display_data", "execute_result"):
            data = {k: v for k, v in content["data"].items() if k != GRADER_MIME}
            size = sum(len(str(v)) for v in data.values())
            if not data or not self._fits(size):
                return
            output = {"output_type": msg_type, "data": data, "metadata": {}}
            if msg_type == "execute_result":
                output["execution_count"] = content.get("execution_count")
            self.outputs.append(output)
        elif msg_type == "error":
            traceback = content.get("traceback", [])[-20:]
            if self._fits(sum(len(line) for line in traceback)):
                self.outputs.append(
                    {
                        "output_type": "error",
                        "ename": content.get("ename", ""),
                        "evalue": content.get("evalue", "")[:2000],
                        "traceback": traceback,
                    }
                )

    def _fits(self, size):
        if self.size + size > self.limit:
            self.dropped += size
            return False
        self.size += size
        return True

    def _add_text(self, name, text):
        room = self.limit - self.size
        if len(text) > room:
            self.dropped += len(text) - max(room, 0)
            text = text[: max(room, 0)]
        self.size += len(text)
        if not text:
            return
        last = self.outputs[-1] if self.outputs else None
        if last and last["output_type"] == "stream" and last["name"] == name:
            last["text"] += text
        else:
            self.outputs.append({"output_type": "stream", "name": name, "text": text})

    def finish(self):
        if self.dropped:
            note = f"\n[output truncated: {self.dropped} more characters not kept]\n"
            self.outputs.append({"output_type": "stream", "name": "stdout", "text": note})
        return self.outputs


class KernelSession:
    """One student kernel in a workspace directory, restarted after a fault."""

    def __init__(self, workspace, sandboxed, memory_limit, startup_timeout=60, output_limit=20000):
        self.workspace = Path(workspace)
        self.sandboxed = sandboxed
        self.memory_limit = memory_limit
        self.startup_timeout = startup_timeout
        self.output_limit = output_limit
        self.restarts = 0
        self.manager = None
        self.client = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.shutdown()

    def start(self):
        runtime = self.workspace / ".kernel"
        runtime.mkdir(exist_ok=True)
        connection_file = runtime / f"kernel-{secrets.token_hex(4)}.json"

        argv = sandbox.launch_argv(
            self.workspace, connection_file, self.sandboxed, self.memory_limit
        )
        manager = KernelManager(transport="ipc", ip=str(runtime / "ipc"))
        manager.connection_file = str(connection_file)
        # Signals cannot cross the sandbox's session and PID namespace, so interrupts
        # travel as messages on the control channel.
        manager._kernel_spec = KernelSpec(
            argv=argv, display_name="grader", language="python", interrupt_mode="message"
        )
        with open(runtime / "kernel.log", "ab") as kernel_log:
            manager.start_kernel(
                env=self._environment(runtime),
                cwd=str(self.workspace),
                stdout=kernel_log,
                stderr=kernel_log,
            )

        client = manager.client()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=self.startup_timeout)
        except RuntimeError as error:
            manager.shutdown_kernel(now=True)
            raise KernelFault(f"the kernel did not start ({error})") from error
        self.manager, self.client = manager, client
        self.run(HARNESS_SOURCE, timeout=self.startup_timeout)

    def _environment(self, runtime):
        """Environment of the kernel: none of the grader's variables but these."""
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.workspace),
            "LANG": os.environ.get("LANG", "C.UTF-8"),
            "PYTHONIOENCODING": "utf-8",
            "MPLBACKEND": "Agg",
            "IPYTHONDIR": str(runtime / "ipython"),
            "JUPYTER_PLATFORM_DIRS": "1",
        }
        env.update({name: "1" for name in THREAD_VARIABLES})
        return env

    def shutdown(self):
        if self.client is not None:
            self.client.stop_channels()
        if self.manager is not None:
            try:
                self.manager.shutdown_kernel(now=True)
            except Exception as error:  # the kernel may already be gone
                log.debug("shutting down the kernel failed: %s", error)
        self.manager = self.client = None

    def restart(self):
        self.shutdown()
        self.restarts += 1
        self.start()

    def run(self, code, timeout, on_display=None, on_input=None):
        """Execute ``code``; return (outputs, error name or None).

        Raises KernelFault when the kernel dies or ``timeout`` seconds pass; after
        a fault the kernel is usable again, restarted if an interrupt did not work.
        """
        client = self.client
        msg_id = client.execute(
            code, store_history=False, allow_stdin=on_input is not None, stop_on_error=False
        )
        outputs = CellOutputs(self.output_limit)
        sockets = {
            client.iopub_channel.socket: client.iopub_channel,
            client.stdin_channel.socket: client.stdin_channel,
            client.shell_channel.socket: client.shell_channel,
        }
        poller = zmq.Poller()
        for socket in sockets:
            poller.register(socket, zmq.POLLIN)
        deadline = time.monotonic() + timeout
        idle = replied = False
        error = None
        while not (idle and replied):
            if time.monotonic() > deadline:
                self._recover(f"timed out after {timeout:g} s", timed_out=True)
            events = dict(poller.poll(200))
            if not events and not self.manager.is_alive():
                self._recover("the kernel died (crash, exit or out of memory)")
            for socket in events:
                while True:
                    try:
                        msg = sockets[socket].get_msg(timeout=0)
                    except Exception:  # queue.Empty from the channel
                        break
                    if msg["parent_header"].get("msg_id") != msg_id:
                        continue
                    kind, content = msg["msg_type"], msg["content"]
                    if kind == "status" and content["execution_state"] == "idle":
                        idle = True
                    elif kind == "execute_reply":
                        replied = True
                        if content.get("status") == "error":
                            error = content.get("ename", "Error")
                    elif kind == "input_request":
                        answer = on_input(content.get("prompt", "")) if on_input else ""
                        client.input(answer)
                    elif kind == "display_data" and GRADER_MIME in content["data"]:
                        if on_display:
                            on_display(content["data"][GRADER_MIME])
                    elif kind in ("stream", "display_data", "execute_result", "error"):
                        outputs.add(kind, content)
        return outputs.finish(), error

    def _recover(self, reason, timed_out=False):
        if self.manager.is_alive():
            self.manager.interrupt_kernel()
            if self._wait_idle(5.0):
                raise KernelFault(reason, timed_out)
        self.restart()
        raise KernelFault(reason, timed_out)

    def _wait_idle(self, seconds):
        try:
            reply = self.client.execute("pass", store_history=False)
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline:
                msg = self.client.get_shell_msg(timeout=max(deadline - time.monotonic(), 0.01))
                if msg["parent_header"].get("msg_id") == reply:
                    return True
        except Exception:  # queue.Empty: the kernel did not reply in time
            return False
        return False

    def call(self, name, arguments, timeout, stubs=(), on_rpc=None):
        """Call the student's ``name`` on ``arguments``; return the decoded report.

        The report is a dict with "status" ("ok", "error", "missing" or "silent")
        and, for "ok", "result" and "arguments" (the inputs after the call).
        """
        nonce = secrets.token_hex(16)
        reports = []

        def on_display(payload):
            if isinstance(payload, dict) and payload.get("nonce") == nonce:
                reports.append(payload)

        def on_input(prompt):
            if on_rpc is None or not prompt.startswith(RPC_PREFIX):
                return ""
            return on_rpc(prompt[len(RPC_PREFIX):])

        code = (
            f"__import__('sys').modules['__rnn_grader__'].call("
            f"{nonce!r}, {name!r}, {wire.encode(arguments)!r}, "
            f"{tuple(stubs)!r})"
        )
        self.run(code, timeout, on_display=on_display, on_input=on_input)
        if len(reports) != 1:
            return {"status": "silent"}
        return reports[0]
