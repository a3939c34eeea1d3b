/**
 * A service in a process of its own, for the kill test: opens the service on the data folder given as the
 * first argument, loads the random 32k-vocabulary model as both expert and amateur with slow settings
 * (cd, full-vocabulary heads: tens of tokens a second) so an answer runs for many seconds, sends one message
 * and prints one JSON line per delta with the answer's length so far. The test SIGKILLs it mid-answer.
 */
import {createService, nodeEngineLauncher} from "../../src-main/service/index.ts";
import {modelPath, modelsDir, randomLargeVocab} from "./models.ts";
import {demoModelsDir} from "./serviceHarness.ts";

const service = await createService({
    dataDir: process.argv[2]!,
    modelsDirs: [modelsDir],
    demoModelsDir,
    engineLauncher: nodeEngineLauncher({echoStderr: false}),
    threads: 1,
    cpu: true
});
await service.updateSettings({mode: "cd", topK: 100_000, exact: true, maxTokens: 4000, contextSize: 4096});
const random = modelPath(randomLargeVocab);
await service.loadPair({expertPath: random, amateurPath: random});
const conversation = await service.createConversation({title: "killed"});
let length = 0;
service.subscribe((event) => {
    if (event.type === "generation" && event.event.kind === "delta") {
        length += event.event.text.length;
        process.stdout.write(`${JSON.stringify({messageId: event.event.messageId, length, at: Date.now()})}\n`);
    }
});
await service.sendMessage({conversationId: conversation.id, text: "Once upon a time"});
