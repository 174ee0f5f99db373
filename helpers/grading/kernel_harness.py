# Code sent into the student's kernel before any student cell runs.
#
# It is executed, not imported, and registers one object as
# sys.modules["__rnn_grader__"]. That object calls a student function on inputs
# sent by the grader and publishes the outputs as data. Everything it uses is captured here, before student code can
# replace numpy functions, builtins or IPython hooks. Nothing in this file
# decides a grade: the grader process compares the data it receives.


def __rnn_grader_bootstrap():
    import base64
    import builtins
    import json
    import sys
    import traceback

    import numpy
    from IPython import get_ipython
    from IPython.display import publish_display_data

    ndarray = numpy.ndarray
    frombuffer = numpy.frombuffer
    ascontiguousarray = numpy.ascontiguousarray
    copyto = numpy.copyto
    array_equal = numpy.array_equal
    b64encode = base64.b64encode
    b64decode = base64.b64decode
    dumps = json.dumps
    loads = json.loads
    shell = get_ipython()
    raw_input = shell.kernel.raw_input
    builtin_types = (
        builtins.bool, builtins.int, builtins.float, builtins.str, type(None)
    )
    tuple_, list_, dict_, type_, id_, len_, repr_, isinstance_ = (
        builtins.tuple, builtins.list, builtins.dict, builtins.type,
        builtins.id, builtins.len, builtins.repr, builtins.isinstance,
    )
    range_ = builtins.range
    mime = "application/vnd.rnn-grader+json"
    max_elements = 4_000_000
    max_depth = 8

    def memory_extent(array):
        interface = array.__array_interface__
        start = end = interface["data"][0]
        for size, stride in zip(array.shape, array.strides):
            if size == 0:
                return [start, start]
            if stride > 0:
                end += (size - 1) * stride
            else:
                start += (size - 1) * stride
        return [start, end + array.itemsize]

    class Encoder:
        def __init__(self):
            self.seen = {}
            self.keep = []
            self.elements = 0

        def encode(self, value, depth=0):
            kind = type_(value)
            if kind in builtin_types:
                if kind is builtins.float:
                    return {"t": "float", "v": repr_(value)}
                if kind is builtins.int:
                    return {"t": "int", "v": repr_(value)}
                if kind is builtins.str:
                    return {"t": "str", "v": value[:200]}
                if value is None:
                    return {"t": "none"}
                return {"t": "bool", "v": value}
            key = id_(value)
            if key in self.seen:
                return {"t": "ref", "id": self.seen[key]}
            self.seen[key] = len_(self.seen)
            self.keep.append(value)
            node = {"id": self.seen[key]}
            if depth > max_depth:
                node.update(t="object", cls="too deeply nested")
            elif isinstance_(value, ndarray):
                node.update(self.encode_array(value, kind))
            elif isinstance_(value, (tuple_, list_)):
                # Subclasses such as namedtuple travel as their base type.
                node["t"] = "tuple" if isinstance_(value, tuple_) else "list"
                node["items"] = [self.encode(item, depth + 1) for item in value]
            elif isinstance_(value, dict_):
                node["t"] = "dict"
                node["items"] = [
                    [self.encode(k, depth + 1), self.encode(v, depth + 1)]
                    for k, v in value.items()
                ]
            elif isinstance_(value, numpy.generic):
                node.update(t="scalar", dtype=value.dtype.str, v=repr_(value.item()))
            else:
                node.update(t="object", cls=kind.__name__[:60])
            return node

        def encode_array(self, array, kind):
            node = {"t": "array", "cls": kind.__name__[:60]}
            if array.dtype.kind not in "biuf" or array.dtype.hasobject:
                node["dtype"] = array.dtype.str[:20]
                node["shape"] = list_(array.shape)
                return node
            self.elements += array.size
            if self.elements > max_elements:
                node.update(t="object", cls="array too large")
                return node
            plain = array.view(ndarray)
            node["dtype"] = plain.dtype.str
            node["shape"] = list_(plain.shape)
            node["data"] = b64encode(ascontiguousarray(plain).tobytes()).decode()
            node["extent"] = memory_extent(plain)
            return node

    def decode(node, table):
        kind = node["t"]
        if kind == "ref":
            return table[node["id"]]
        if kind == "array":
            raw = b64decode(node["data"])
            value = frombuffer(raw, dtype=node["dtype"]).reshape(node["shape"]).copy()
        elif kind in ("tuple", "list"):
            value = [decode(item, table) for item in node["items"]]
            value = tuple_(value) if kind == "tuple" else value
        elif kind == "dict":
            value = {}
            table[node["id"]] = value
            for k, v in node["items"]:
                value[decode(k, table)] = decode(v, table)
        elif kind == "float":
            return builtins.float(node["v"])
        elif kind == "int":
            return builtins.int(node["v"])
        elif kind in ("str", "bool"):
            return node["v"]
        else:
            return None
        if "id" in node:
            table[node["id"]] = value
        return value

    def publish(nonce, payload):
        payload["nonce"] = nonce
        publish_display_data({mime: payload})

    def failure(function, error):
        # Report where the student's code raised: a function name and a line
        # offset inside it. The grader turns them into the student's own line.
        location = None
        for frame, lineno in traceback.walk_tb(error.__traceback__):
            code = frame.f_code
            if code.co_filename == function.__code__.co_filename:
                location = [code.co_name, lineno - code.co_firstlineno]
        return {"status": "error", "error": type_(error).__name__[:60], "at": location}

    def mirror(target, value):
        """Copy a reference's in-place changes of an argument into the student's object.

        Arrays are overwritten in place, so the student's references to them see
        the change; other dict and list items are replaced.
        """
        if isinstance_(target, ndarray):
            if not array_equal(target, value):
                copyto(target, value)
        elif isinstance_(target, dict_) and isinstance_(value, dict_):
            for key, item in value.items():
                current = target.get(key)
                if isinstance_(current, (ndarray, dict_, list_)):
                    mirror(current, item)
                else:
                    target[key] = item
        elif isinstance_(target, list_) and isinstance_(value, list_):
            if len_(target) != len_(value):
                raise ValueError("an argument changed length")
            for position in range_(len_(value)):
                if isinstance_(target[position], (ndarray, dict_, list_)):
                    mirror(target[position], value[position])
                else:
                    target[position] = value[position]

    def make_stub(name):
        """Build a stand-in for ``name`` whose result the grader computes with its reference."""

        def stub(*args, **kwargs):
            request = Encoder().encode([list_(args), kwargs])
            reply = raw_input("rnn-grader-rpc:" + dumps({"name": name, "args": request}))
            outputs = decode(loads(reply), {})
            if isinstance_(outputs, dict_) and outputs.get("__invalid__"):
                raise TypeError(name + "() was called with invalid arguments")
            if isinstance_(outputs, dict_) and "__changed__" in outputs:
                for index, value in outputs["__changed__"]:
                    mirror(args[index], value)
                outputs = outputs["__result__"]
            return outputs

        stub.__name__ = name
        return stub

    class Grader:
        def call(self, nonce, name, request, stubs=()):
            arguments = decode(loads(request), {})
            user_ns = shell.user_ns
            function = user_ns.get(name)
            if function is None or not callable(function):
                publish(nonce, {"status": "missing"})
                return
            saved = {stub: user_ns.get(stub) for stub in stubs}
            for stub in stubs:
                user_ns[stub] = make_stub(stub)
            stdout, stderr = sys.stdout, sys.stderr
            try:
                result = function(*arguments)
            except Exception as error:
                publish(nonce, failure(function, error))
                return
            except SystemExit as error:
                publish(nonce, failure(function, error))
                return
            finally:
                sys.stdout, sys.stderr = stdout, stderr
                for stub, value in saved.items():
                    user_ns[stub] = value
            encoder = Encoder()
            payload = {
                "status": "ok",
                "result": encoder.encode(result),
                "arguments": encoder.encode(list_(arguments)),
            }
            publish(nonce, payload)

    return Grader()


# Registered as a module, so that %reset or a deleted global does not remove it.
__import__("sys").modules["__rnn_grader__"] = __rnn_grader_bootstrap()
del __rnn_grader_bootstrap
