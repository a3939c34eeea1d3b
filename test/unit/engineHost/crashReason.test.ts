/** How an engine crash is put in words: the exit, and llama.cpp's last assertion from stderr. */
import assert from "node:assert/strict";
import {test} from "node:test";
import {describeExit, lastAssertion} from "../../../src-main/engineHost/engineSupervisor.ts";

test("a signal, an exit code, and a signal reported as 128 + its number (Electron)", () => {
    assert.equal(describeExit({code: null, signal: "SIGABRT"}), "signal SIGABRT");
    assert.equal(describeExit({code: 1, signal: null}), "exit code 1");
    assert.equal(describeExit({code: 134, signal: null}), "exit code 134, SIGABRT");
    assert.equal(describeExit({code: null, signal: null}), "exit code unknown");
});

test("llama.cpp's assertion line loses its build path; other error lines are kept; nothing else is invented", () => {
    const stderr =
        "llama_model_load: loading\n/home/runner/work/x/llama.cpp/src/llama-model-loader.cpp:1321: GGML_ASSERT(t_meta.ne[dim] >= 1) failed\n\n";
    assert.equal(lastAssertion(stderr), ": llama.cpp: GGML_ASSERT(t_meta.ne[dim] >= 1) failed (llama-model-loader.cpp)");
    assert.equal(lastAssertion("something\nfatal error: out of memory\n"), ": fatal error: out of memory");
    assert.equal(lastAssertion("loading model\nall fine\n"), "");
});
