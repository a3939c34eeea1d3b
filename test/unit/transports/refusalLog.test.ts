/**
 * Refused requests are logged at most N lines a window (issue 15, item 10): a program hammering the web server
 * with a foreign Host, or a client sending malformed frames, cannot fill the log; one line per window says how
 * many were left out. Real sockets, real timers (short windows).
 */
import assert from "node:assert/strict";
import {request} from "node:http";
import {setTimeout as sleep} from "node:timers/promises";
import {test} from "node:test";
import {limitedLog} from "../../../src-main/transports/limitedLog.ts";
import {startWebServer} from "../../../src-main/transports/webServer.ts";
import {createMemoryService} from "../../helpers/memoryService.ts";
import {makeStaticDir, TEST_TOKEN} from "../../helpers/server.ts";

function foreignHostRequest(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
        const req = request({host: "127.0.0.1", port, path: "/", headers: {Host: "attacker.example"}, setHost: false}, (response) => {
            response.resume();
            response.on("end", () => resolve(response.statusCode!));
        });
        req.on("error", reject);
        req.end();
    });
}

test("the web server logs the first refusals of a window, then one line with how many it left out", async () => {
    const logs: string[] = [];
    const server = await startWebServer({
        service: createMemoryService(),
        staticDir: makeStaticDir(),
        token: TEST_TOKEN,
        port: 0,
        log: (line) => logs.push(line),
        refusalLogLimit: {limit: 5, windowMs: 400}
    });
    try {
        for (let i = 0; i < 30; i++) assert.equal(await foreignHostRequest(server.port), 403);
        assert.equal(logs.length, 5, logs.join("\n"));
        assert.ok(logs.every((line) => line === 'refused a request for host "attacker.example"'));
        await sleep(600);
        assert.equal(logs.length, 6, logs.join("\n"));
        assert.equal(logs[5], "25 more refused requests were not logged (at most 5 lines per 400 ms)");
        // A new window logs again.
        assert.equal(await foreignHostRequest(server.port), 403);
        assert.equal(logs.length, 7);
    } finally {
        await server.close();
    }
});

test("the limiter writes what is left out when flushed, and nothing when nothing was", () => {
    const lines: string[] = [];
    const log = limitedLog((line) => lines.push(line), {limit: 2, windowMs: 60_000});
    log.flush();
    assert.deepEqual(lines, []);
    for (const n of [1, 2, 3]) log(`refused ${n}`);
    assert.deepEqual(lines, ["refused 1", "refused 2"]);
    log.flush();
    assert.deepEqual(lines, ["refused 1", "refused 2", "1 more refused request was not logged (at most 2 lines per minute)"]);
    log("refused 4");
    assert.equal(lines.at(-1), "refused 4");
    log.flush();
});
