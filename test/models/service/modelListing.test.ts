/** The model list from real files: the demo pair first, folder files by name, unreadable ones with their problem. */
import assert from "node:assert/strict";
import {copyFile, mkdtemp, writeFile} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {test} from "node:test";
import {listModels} from "../../../src-main/service/modelListing.ts";
import {modelPath, storyAmateurL3} from "../../helpers/models.ts";
import {demoModelsDir, demoPair} from "../../helpers/serviceHarness.ts";

test("demo pair first, then each folder's *.gguf files; a file that is not a GGUF is listed with its problem", async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), "tandem-models-"));
    await copyFile(modelPath(storyAmateurL3), path.join(folder, "b-amateur.gguf"));
    await writeFile(path.join(folder, "a-broken.gguf"), "not a model");
    await writeFile(path.join(folder, "notes.txt"), "ignored");
    const models = await listModels(demoModelsDir, [folder, demoModelsDir, path.join(folder, "missing")]);

    // The demo folder listed again as a models folder adds nothing: a file appears once.
    assert.deepEqual(
        models.map((m) => [path.basename(m.path), m.source]),
        [
            ["stories260K.gguf", "demo"],
            ["stories260K-L4-earlyexit.gguf", "demo"],
            ["a-broken.gguf", "folder"],
            ["b-amateur.gguf", "folder"]
        ]
    );
    assert.equal(models[0]!.path, demoPair.expertPath);
    const [expert, , broken, amateur] = models;
    assert.equal(expert!.architecture, "llama");
    assert.equal(expert!.vocabularySize, amateur!.vocabularySize);
    assert.ok(expert!.vocabularySize! > 0 && expert!.problem === undefined);
    assert.ok(amateur!.sizeBytes > 0 && amateur!.sizeBytes < expert!.sizeBytes, "the 3-block amateur is the smaller file");
    assert.equal(broken!.sizeBytes, "not a model".length);
    assert.ok(broken!.problem != null && broken!.problem.includes("a-broken.gguf"), broken!.problem);
    assert.equal(broken!.architecture, undefined);
});
