/** The service's one line for the pair: one job at a time, turns between the app and the server, a bounded server line, leaving while waiting. */
import assert from "node:assert/strict";
import {test} from "node:test";
import {GenerationQueue, QueueFullError} from "../../../src-main/service/generationQueue.ts";

/** A job that records when it ran and ends when `release` is called. */
function gate(log: string[], name: string) {
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    return {
        job: async () => {
            log.push(`start ${name}`);
            await done;
            log.push(`end ${name}`);
            return name;
        },
        release: () => release()
    };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

test("one job at a time, first come first served within a caller", async () => {
    const queue = new GenerationQueue({app: Infinity, server: Infinity});
    const log: string[] = [];
    const a = gate(log, "a");
    const b = gate(log, "b");
    const c = gate(log, "c");
    const results = [queue.run("server", a.job), queue.run("server", b.job), queue.run("server", c.job)];
    await tick();
    assert.deepEqual(log, ["start a"]);
    assert.deepEqual(queue.state, {running: "server", waiting: {app: 0, server: 2}});
    a.release();
    await tick();
    assert.deepEqual(log, ["start a", "end a", "start b"]);
    b.release();
    c.release();
    assert.deepEqual(await Promise.all(results), ["a", "b", "c"]);
    assert.equal(queue.busy, false);
});

test("the app waits behind the running server job only, not behind the server's line", async () => {
    const queue = new GenerationQueue({app: Infinity, server: Infinity});
    const log: string[] = [];
    const jobs = ["s1", "s2", "s3"].map((name) => gate(log, name));
    const app = gate(log, "app");
    const all = jobs.map((j) => queue.run("server", j.job));
    await tick();
    const appDone = queue.run("app", app.job);
    jobs[0]!.release();
    await tick();
    assert.equal(log.at(-1), "start app", "the app's turn comes right after the running server job");
    app.release();
    await appDone;
    await tick();
    assert.equal(log.at(-1), "start s2");
    jobs[1]!.release();
    jobs[2]!.release();
    await Promise.all(all);
});

test("a full server line refuses at once with a retry estimate; the app is never refused for it", async () => {
    const queue = new GenerationQueue({app: Infinity, server: 2});
    const log: string[] = [];
    const jobs = ["s1", "s2", "s3"].map((name) => gate(log, name));
    const running = jobs.map((j) => queue.run("server", j.job));
    const refused = queue.run("server", async () => "never");
    await assert.rejects(refused, (error: unknown) => {
        assert.ok(error instanceof QueueFullError);
        assert.equal(error.code, "busy");
        assert.ok(error.retryAfterSeconds >= 1);
        assert.match(error.message, /2 requests are waiting/);
        return true;
    });
    const app = gate(log, "app");
    const appDone = queue.run("app", app.job);
    for (const j of jobs) j.release();
    app.release();
    await Promise.all([...running, appDone]);
    assert.ok(!log.includes("start never"));
});

test("a job whose signal fires while it waits leaves the line without running", async () => {
    const queue = new GenerationQueue({app: Infinity, server: Infinity});
    const log: string[] = [];
    const first = gate(log, "first");
    const running = queue.run("server", first.job);
    const abort = new AbortController();
    const waiting = queue.run(
        "server",
        async () => {
            log.push("start waiting");
            return "ran";
        },
        abort.signal
    );
    abort.abort(new Error("client gone"));
    await assert.rejects(waiting, /client gone/);
    assert.deepEqual(queue.state.waiting, {app: 0, server: 0});
    first.release();
    await running;
    await queue.whenIdle();
    assert.ok(!log.includes("start waiting"));
});

test("a job that throws frees the pair for the next", async () => {
    const queue = new GenerationQueue({app: Infinity, server: Infinity});
    const failing = queue.run("server", async () => {
        throw new Error("boom");
    });
    const next = queue.run("server", async () => "next");
    await assert.rejects(failing, /boom/);
    assert.equal(await next, "next");
});
