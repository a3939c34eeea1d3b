/**
 * The model list in the first app's shape (listModels), from the library: the demo pair first (expert, then
 * amateur), usable folder models by name, unusable ones last with their problem; a folder listed twice adds nothing.
 */
import assert from "node:assert/strict";
import {copyFile, mkdir, writeFile} from "node:fs/promises";
import path from "node:path";
import {test} from "node:test";
import {demoModelsDir, sharedModel, tempDir, testLibrary} from "./libraryFixtures.ts";

test("demo pair first, then each folder's models; a file that is not a GGUF is listed with its problem", async () => {
    await using temp = await tempDir("entries");
    const folder = path.join(temp.dir, "models");
    await mkdir(folder);
    await copyFile(sharedModel("stories260K-L3-earlyexit.gguf"), path.join(folder, "b-amateur.gguf"));
    await writeFile(path.join(folder, "a-broken.gguf"), "not a model");
    await writeFile(path.join(folder, "notes.txt"), "ignored");
    const {library} = testLibrary(temp.dir, {demoModelsDir, envModelsDirs: [folder, demoModelsDir, path.join(folder, "missing")]});
    await library.scan();
    const models = library.modelEntries();
    await library.close();

    assert.deepEqual(
        models.map((m) => [path.basename(m.path), m.source]),
        [
            ["stories260K.gguf", "demo"],
            ["stories260K-L4-earlyexit.gguf", "demo"],
            ["b-amateur.gguf", "folder"],
            ["a-broken.gguf", "folder"]
        ]
    );
    assert.equal(models[0]!.path, path.join(demoModelsDir, "stories260K.gguf"));
    const [expert, , amateur, broken] = models;
    assert.equal(expert!.architecture, "llama");
    assert.equal(expert!.vocabularySize, amateur!.vocabularySize);
    assert.ok(expert!.vocabularySize! > 0 && expert!.problem === undefined);
    assert.ok(amateur!.sizeBytes > 0 && amateur!.sizeBytes < expert!.sizeBytes, "the 3-block amateur is the smaller file");
    assert.equal(broken!.sizeBytes, "not a model".length);
    assert.ok(broken!.problem != null && broken!.problem.includes("a-broken.gguf"), broken!.problem);
    assert.equal(broken!.architecture, undefined);
});
