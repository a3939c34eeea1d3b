/**
 * A test entry for the engine process, to prove that a llama.cpp abort takes down only that process: the real
 * engine (EngineWorker over the real parent channel), except that before its first "load" it hands the file
 * named by TANDEM_TEST_ABORTING_MODEL (see abortingModel.ts: a model llama.cpp aborts on, which the app's
 * header preflight refuses) to llama.cpp itself. The process then dies of SIGABRT, as an engine would on a
 * model file the preflight does not know. Started with `nodeEngineLauncher({entryPath: abortingEngineEntry})`.
 */
import {fileURLToPath} from "node:url";
import {openParentChannel} from "../../src-main/engineHost/engineChannel.ts";
import {EngineWorker} from "../../src-main/engineHost/engineWorker.ts";
import {getRuntime} from "../../src-main/models/runtime/index.ts";

export const abortingEngineEntry = fileURLToPath(import.meta.url);

const isMain = process.argv[1] != null && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
    const aborting = process.env.TANDEM_TEST_ABORTING_MODEL;
    const channel = openParentChannel();
    const worker = new EngineWorker((reply) => channel.send(reply));
    channel.onRequest((request) => {
        if (request.type === "load" && aborting != null) {
            void getRuntime(false, 2)
                .then((llama) => llama.loadModel({modelPath: aborting}))
                .then(() => worker.handle(request));
            return;
        }
        worker.handle(request);
    });
    channel.send({type: "hello", pid: process.pid});
}
